package dev.notify.examples.domain;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The permit office's own "database", in memory and generated deterministically, so that every run of the
 * demo sends exactly the same messages. It knows nothing about notify: {@code NotificationSetup} adapts it.
 *
 * <p>Contents, for the office day {@code today}:
 * <ul>
 *   <li>{@value #PERMITS} permits {@code P-0001..}: the odd ones up to {@code P-0011} are drafts, the rest
 *       approved; every fourth permit ({@code P-0004}, {@code P-0008}, ...) expires within 30 days
 *       ({@value #EXPIRING} of them), the others in 45 days or more;</li>
 *   <li>six documents: {@code D-100} (waiting since 29 May, signed today), {@code D-101} (a draft that
 *       goes to signature today), {@code D-102}, {@code D-103}, {@code D-105} (waiting more than 24 hours)
 *       and {@code D-104} (waiting less than 24 hours at 10:00);</li>
 *   <li>4 staff, 2 officials and 2 leaders;</li>
 *   <li>{@value #COMMUNITY_CONTACTS} community contacts for the information blast, {@value #KNOWN_CONTACTS}
 *       of whom are already in the office's address book;</li>
 *   <li>complaints, added by the demo as the day goes by.</li>
 * </ul>
 *
 * <p>A few applicants have numbers that show the unhappy paths: {@link #OPTED_OUT_PHONE} (asked to stop;
 * applicant of {@code P-0005} and of the expiring {@code P-0008}), {@link #INVALID_PHONE} ({@code P-0007}),
 * {@link #FLAKY_PHONE} ({@code P-0009}: the gateway fails twice, then accepts) and
 * {@link #UNREACHABLE_PHONE} ({@code P-0011}: not on WhatsApp). Thread-safe.
 */
public final class PermitOfficeDatabase {
  public static final int PERMITS = 1000;
  public static final int EXPIRING = PERMITS / 4;
  public static final int COMMUNITY_CONTACTS = 40;
  public static final int KNOWN_CONTACTS = 15;

  public static final String OPTED_OUT_PHONE = "0813-1111-2222";
  public static final String INVALID_PHONE = "0812-12";
  public static final String FLAKY_PHONE = "0813-3333-4444";
  public static final String UNREACHABLE_PHONE = "0813-5555-6666";

  private static final String[] FIRST = {"Budi", "Siti", "Agus", "Dewi", "Rina", "Joko", "Ayu", "Hendra", "Wulan", "Eko",
      "Sri", "Bambang", "Lestari", "Yusuf", "Maya", "Dimas", "Putri", "Arif", "Nur", "Fajar"};
  private static final String[] LAST = {"Santoso", "Rahayu", "Wijaya", "Saputra", "Hidayat", "Kusuma", "Pratama",
      "Lubis", "Siregar", "Nasution", "Setiawan", "Susanti", "Harahap", "Gunawan", "Wibowo"};
  private static final String[] TYPES = {"IMB", "SIUP", "TDP", "HO", "SIPA"};

  private final LocalDate today;
  private final Map<String, Permit> permits = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Document> documents = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Person> people;
  private final List<Person> community;
  private final Set<String> addressBook;
  private final Map<String, Complaint> complaints = new ConcurrentHashMap<>();

  /** The database as it is at the start of the office day {@code today}. */
  public PermitOfficeDatabase(LocalDate today) {
    this.today = today;
    for (int i = 1; i <= PERMITS; i++) {
      Permit p = generatedPermit(i);
      permits.put(p.id(), p);
    }
    addDocument("D-100", "P-0002", "pending_signature", today.minusDays(3).atTime(9, 0));
    addDocument("D-101", "P-0006", "draft", null);
    addDocument("D-102", "P-0010", "pending_signature", today.minusDays(2).atTime(14, 0));
    addDocument("D-103", "P-0012", "pending_signature", today.minusDays(1).atTime(8, 15));
    addDocument("D-104", "P-0014", "pending_signature", today.minusDays(1).atTime(11, 30));
    addDocument("D-105", "P-0016", "pending_signature", today.minusDays(4).atTime(10, 0));
    this.people = List.of(
        new Person("S-1", "Andi Firmansyah", "0811-2000-0011", "staff"),
        new Person("S-2", "Nia Kurniawati", "0811-2000-0012", "staff"),
        new Person("S-3", "Teguh Prasetyo", "0811-2000-0013", "staff"),
        new Person("S-4", "Lina Marlina", "0811-2000-0014", "staff"),
        new Person("O-1", "Ir. Haryanto, M.T. (Kepala Bidang)", "0811-2000-0021", "officials"),
        new Person("O-2", "Dra. Sulastri (Sekretaris Dinas)", "0811-2000-0022", "officials"),
        new Person("L-1", "Drs. Made Suarta (Kepala Dinas)", "0811-2000-0031", "leaders"),
        new Person("L-2", "Ratna Dewi, S.H. (Kabid Pelayanan)", "0811-2000-0032", "leaders"));
    List<Person> c = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (int i = 0; i < COMMUNITY_CONTACTS; i++) {
      String digits = String.format("857%08d", 20_000_000 + i);
      c.add(new Person("K-" + (i + 1), FIRST[i % FIRST.length] + " (warga)", "0" + digits, "community"));
      if (i % 8 < 3) known.add("+62" + digits);
    }
    this.community = List.copyOf(c);
    this.addressBook = Set.copyOf(known);
  }

  private Permit generatedPermit(int i) {
    String id = String.format("P-%04d", i);
    String type = TYPES[i % TYPES.length];
    String number = String.format("503/%s/2026/%04d", type, i);
    String state = i <= 11 && i % 2 == 1 ? "draft" : "approved";
    String name = FIRST[i % FIRST.length] + " " + LAST[(i / FIRST.length) % LAST.length];
    String phone = String.format("0812-%04d-%04d", 1000 + i / 10_000, i % 10_000);
    switch (i) {
      case 5: case 8: name = "Rahmat Hidayat"; phone = OPTED_OUT_PHONE; break;
      case 7: phone = INVALID_PHONE; break;
      case 9: phone = FLAKY_PHONE; break;
      case 11: phone = UNREACHABLE_PHONE; break;
      default: break;
    }
    LocalDate expires = i % 4 == 0 ? today.plusDays(1 + (i / 4) % 30) : today.plusDays(45 + i % 300);
    return new Permit(id, number, type, state, name, phone, expires);
  }

  private void addDocument(String id, String permitId, String state, LocalDateTime pendingSince) {
    Permit p = permits.get(permitId);
    documents.put(id, new Document(id, "TTE/" + id.substring(2) + "/" + p.number(), p.number(), p.applicantName(),
        p.applicantPhone(), state, pendingSince, null));
  }

  /** The office day the data was generated for. */
  public LocalDate today() { return today; }

  /** A permit by id. @throws IllegalArgumentException when there is none */
  public Permit permit(String id) {
    Permit p = permits.get(id);
    if (p == null) throw new IllegalArgumentException("no permit '" + id + "'");
    return p;
  }

  /** Writes a permit back (the host's "UPDATE permit"). */
  public void save(Permit permit) { permits.put(permit.id(), permit); }

  /** All permits, in id order. */
  public Stream<Permit> permits() {
    List<String> ids;
    synchronized (permits) {
      ids = new ArrayList<>(permits.keySet());
    }
    return ids.stream().map(this::permit);
  }

  /** Approved permits expiring between tomorrow and {@code days} days from {@code from}, in id order. */
  public Stream<Permit> expiringWithin(LocalDate from, int days) {
    LocalDate last = from.plusDays(days);
    return permits().filter(p -> p.state().equals("approved"))
        .filter(p -> p.expiresOn().isAfter(from) && !p.expiresOn().isAfter(last));
  }

  /** A document by id. @throws IllegalArgumentException when there is none */
  public Document document(String id) {
    Document d = documents.get(id);
    if (d == null) throw new IllegalArgumentException("no document '" + id + "'");
    return d;
  }

  public void save(Document document) { documents.put(document.id(), document); }

  /** Documents waiting for a signature, in id order. */
  public Stream<Document> documentsPendingSignature() {
    List<Document> all;
    synchronized (documents) {
      all = new ArrayList<>(documents.values());
    }
    return all.stream().filter(d -> d.state().equals("pending_signature"));
  }

  /** Staff, officials or leaders by role. */
  public List<Person> peopleWithRole(String role) {
    return people.stream().filter(p -> p.role().equals(role)).collect(Collectors.toList());
  }

  /** The people of the information blast, in a stable order. */
  public List<Person> communityContacts() { return community; }

  /** Whether the office's address book (its contact list) knows this E.164 number. */
  public boolean inAddressBook(String e164) { return addressBook.contains(e164); }

  public void addComplaint(Complaint complaint) { complaints.put(complaint.id(), complaint); }

  /** Complaints received and not closed by staff yet, oldest first. */
  public Stream<Complaint> openComplaints() {
    return complaints.values().stream().sorted((a, b) -> a.receivedAt().compareTo(b.receivedAt()));
  }

  public Optional<Complaint> complaint(String id) { return Optional.ofNullable(complaints.get(id)); }

  /** The report view behind seed 003's recaps. */
  public Recap recap(String period, String label) {
    long active = permits().filter(p -> p.state().equals("approved")).count();
    return new Recap(period, label, active, expiringWithin(today, 30).count(), documentsPendingSignature().count(), complaints.size());
  }
}
