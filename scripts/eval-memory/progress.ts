/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per quarter otherwise (logs
 * in CI stay short).
 */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  phase(label: string): void;
  start(label: string, total: number): void;
  tick(): void;
  done(): void;
}

const WIDTH = 30;

export function createProgress(output: ProgressOutput | undefined): Progress {
  let label = "";
  let total = 0;
  let count = 0;
  let lastQuarter = -1;
  const draw = () => {
    if (!output) return;
    const fraction = total > 0 ? count / total : 1;
    if (output.isTTY) {
      const filled = Math.round(fraction * WIDTH);
      output.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${count}/${total}`,
      );
      return;
    }
    const quarter = Math.floor(fraction * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      output.write(`${label}: ${count}/${total}\n`);
    }
  };
  return {
    phase(text) {
      output?.write(`${text}…\n`);
    },
    start(text, n) {
      label = text;
      total = n;
      count = 0;
      lastQuarter = -1;
      draw();
    },
    tick() {
      count += 1;
      if (output?.isTTY ? count % 10 === 0 || count === total : true) draw();
    },
    done() {
      if (output?.isTTY) {
        draw();
        output.write("\n");
      }
    },
  };
}
