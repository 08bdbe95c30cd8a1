/** How stages report progress; the CLI decides how to show it (bars, plain lines, JSON, nothing). */
export interface StageProgress {
  tick(n?: number): void;
  /** For stages whose amount of work is discovered as they go (the taxonomy's recursion). */
  setTotal?(total: number): void;
  done(note?: string): void;
}

export interface ProgressReporter {
  stage(name: string, total: number): StageProgress;
  info(message: string): void;
  warn(message: string): void;
}

export const silentProgress: ProgressReporter = {
  stage: () => ({ tick() {}, done() {} }),
  info() {},
  warn() {},
};
