/**
 * One progress bar for the whole benchmark: `[█████░░░░░]  50%  replay: rebuild run 2/3`, redrawn in
 * place on a terminal, one line per step otherwise (CI logs).
 */
export class Progress {
  private done = 0;
  private readonly isTty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  step(label: string): void {
    this.done = Math.min(this.total, this.done + 1);
    this.draw(label);
  }

  note(label: string): void {
    this.draw(label);
  }

  private draw(label: string): void {
    const ratio = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(ratio * 30);
    const line = `[${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${label}`;
    if (this.isTty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
    else process.stderr.write(`${line}\n`);
  }

  /** A message that must not be overwritten by the bar. */
  log(message: string): void {
    process.stderr.write(this.isTty ? `\r\x1b[K${message}\n` : `${message}\n`);
  }
}
