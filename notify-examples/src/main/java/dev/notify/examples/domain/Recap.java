package dev.notify.examples.domain;

/**
 * A report recap (rekap) as the office's report view computes it (seed 003: daily, weekly, monthly).
 *
 * @param period {@code harian}, {@code mingguan} or {@code bulanan}
 * @param label human label of the period, e.g. {@code 01-06-2026}
 * @param permitsActive approved permits
 * @param permitsExpiring approved permits expiring within 30 days
 * @param documentsPending documents waiting for a signature
 * @param complaintsOpen complaints received
 */
public record Recap(String period, String label, long permitsActive, long permitsExpiring, long documentsPending, long complaintsOpen) {}
