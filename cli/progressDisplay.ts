import cliProgress from 'cli-progress';
import { countsSummary, formatDuration, progressLine, type RunProgress } from './progressText.js';

/** Shows a run's progress on stderr: a bar with ETA on a terminal, a line per change elsewhere. */
export interface ProgressDisplay {
  update(view: RunProgress): void;
  stop(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (!stream.isTTY) {
    let last = '';
    return {
      update(view) {
        const line = progressLine(view);
        if (line !== last) stream.write(`${line}\n`);
        last = line;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: '{status} [{bar}] {percentage}% | ETA {etaText} | {counts}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(view) {
      const payload = { status: view.status.padEnd(9), etaText: view.etaMs === null ? '-' : formatDuration(view.etaMs), counts: countsSummary(view.counts) };
      const value = Math.round(view.percent ?? 0);
      if (!started) bar.start(100, value, payload);
      else bar.update(value, payload);
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
