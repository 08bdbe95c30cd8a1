/** How stages report progress; the CLI decides how to show it (bars, plain lines, JSON, nothing). */
export interface StageProgress {
  tick(n?: number): void;
  /** What an open-ended stage is doing now ("level 2: classifying errors"), shown beside its count. */
  step?(name: string): void;
  done(note?: string): void;
}

export interface ProgressReporter {
  /**
   * A stage of `total` units (`unit`, e.g. "failures"), known before it starts; 0 when there is
   * nothing to count. Without a total the stage is open-ended (the taxonomy, whose calls are found
   * node by node): shown as its current step and the units done, never as a fraction that moves.
   */
  stage(name: string, total?: number, unit?: string): StageProgress;
  info(message: string): void;
  warn(message: string): void;
}

export const silentProgress: ProgressReporter = {
  stage: () => ({ tick() {}, done() {} }),
  info() {},
  warn() {},
};
