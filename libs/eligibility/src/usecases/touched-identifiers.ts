/** Beyond this many distinct identifiers, "everyone in the look-back window" is cheaper to hold. */
const MAX_TRACKED_IDENTIFIERS = 200_000;

/** The member ids and CINs an upload changed, whose visits are attributed again after the answer. */
export class TouchedIdentifiers {
  private readonly identifiers = new Set<string>();
  private all = false;

  touch(c: { memberId: string; cin?: string }): void {
    if (this.all) return;
    this.identifiers.add(c.memberId);
    if (c.cin) this.identifiers.add(c.cin);
    if (this.identifiers.size > MAX_TRACKED_IDENTIFIERS) {
      this.all = true;
      this.identifiers.clear();
    }
  }

  /** What the upload's record keeps for the re-attribution job. */
  get recorded(): string[] | 'ALL' {
    return this.all ? 'ALL' : [...this.identifiers];
  }
}
