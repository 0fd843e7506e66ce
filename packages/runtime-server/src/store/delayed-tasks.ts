// Runs tasks once, `delayMs` after the first of them was scheduled: one timer for every open run
// log of a store, instead of one per log or a write per event-loop turn.
export class DelayedTasks {
  private readonly due = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly delayMs: number) {}

  /** Runs `task` within delayMs (once, however often it is scheduled meanwhile). */
  schedule(task: () => void): void {
    this.due.add(task);
    this.timer ??= setTimeout(this.runDue, this.delayMs);
  }

  /** Runs the scheduled tasks now (a store that closes writes what its logs hold). */
  runNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.runDue();
  }

  private readonly runDue = (): void => {
    this.timer = undefined;
    const tasks = [...this.due];
    this.due.clear();
    for (const task of tasks) task();
  };
}
