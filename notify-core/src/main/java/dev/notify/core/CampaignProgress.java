package dev.notify.core;

/**
 * Where a campaign is, from {@link Campaigns#progress(String)}. Counts are of recipients: a target whose
 * number appeared earlier in the campaign counts once, under {@code duplicates}.
 *
 * <p>Targets are streamed, so until {@code allTargetsRead} the totals cover the targets read so far and
 * {@code percent} is the share of those that are finished.
 *
 * @param campaignId the campaign
 * @param state its state
 * @param allTargetsRead the target source has no more targets
 * @param targets distinct recipients addressed so far: {@code queued + skippedInAddressBook}
 * @param queued entries put in the queue so far, in any state
 * @param pending queued entries not finished yet (PENDING or PROCESSING)
 * @param sent entries accepted by a provider
 * @param failed entries that failed for good
 * @param skipped recipients not sent to: blacklisted at dispatch plus {@code skippedInAddressBook}
 * @param skippedInAddressBook recipients skipped because the host's address book knows the number
 * @param cancelled entries cancelled with the campaign
 * @param duplicates targets dropped because their number appeared earlier in the campaign
 * @param percent finished ({@code sent + failed + skipped + cancelled}) per target, 0 to 100
 */
public record CampaignProgress(String campaignId, CampaignState state, boolean allTargetsRead, long targets, long queued,
                               long pending, long sent, long failed, long skipped, long skippedInAddressBook,
                               long cancelled, long duplicates, double percent) {

  /** sent + failed + skipped + cancelled. */
  public long finished() { return sent + failed + skipped + cancelled; }
}
