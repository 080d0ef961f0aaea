/**
 * Prints the dashboard for the mid-run demo state:
 * `node dist/test/ui/render-demo.js [COLS] [ROWS] [--ansi] [--paused] [--synthetic]`.
 * ANSI codes are stripped unless --ansi; colour follows NO_COLOR (the tests run it both ways).
 */
import { renderToString } from 'ink';
import { Dashboard } from '../../src/ui/components/Dashboard.js';
import { INITIAL_VIEW } from '../../src/ui/view-state.js';
import { NOW, cpuHistory, midRun, stripAnsi } from './runs.js';

const args = process.argv.slice(2);
const [cols = 80, rows = 24] = args.filter((a) => !a.startsWith('--')).map(Number);
const frame = renderToString(
  <Dashboard
    state={midRun({ paused: args.includes('--paused'), realSky: !args.includes('--synthetic') })}
    cpu={cpuHistory(8)}
    view={INITIAL_VIEW}
    width={cols}
    height={rows}
    now={NOW}
    reportPath="stardash-out/report.json"
    outDir="stardash-out"
    source="sky 127.0.0.1:40123"
  />,
  { columns: cols },
);
process.stdout.write(`${args.includes('--ansi') ? frame : stripAnsi(frame)}\n`);
