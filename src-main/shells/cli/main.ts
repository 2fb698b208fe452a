/**
 * `npm run cli -- <command>`: headless entry for batch work.
 *
 *   audit verify --user NAME [--data DIR]   verify a user's audit chain; exit 0 intact, 2 broken
 *   generate --out DIR …                   a synthetic district with its ground truth (see USAGE)
 *   sync --user NAME [--data DIR]          headless sync of an enrolled user (for scheduled runs)
 *   trace FILE --user NAME [--data DIR]    which registered export a leaked file (xlsx, csv, pasted text) came from
 *   report --snapshot FILE --period YYYY-MM --out DIR   the monthly report (PDF + xlsx) without the app (no cases)
 *   report --user NAME --period YYYY-MM --out DIR       the same report as the app's, with the team's case work
 *   monitor --snapshot FILE --json OUT      the monitoring signals' warnings (monitoring.md "Headless"), for monthly runs
 *
 * The password is read from $AW_PASSWORD or, failing that, from the first line of standard input
 * (never from the command line, which other users can see in the process list).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { CallError } from '../../contract/errors.js';
import { PERIOD } from '../../domain/reports/report-model.js';
import { DEFAULT_RATES } from '../../generator/district-generator.js';
import { systemClock } from '../../platform/clock.js';
import { defaultDataDir } from '../data-dir.js';
import { loadKey } from './key-file.js';
import { writeReportJson } from './report-json.js';

// Each command imports what it needs when it runs (`await import` below), not at start: under tsx every module is
// compiled as it loads, and loading them all (the report's PDF and spreadsheet writers, the workstation, the rules)
// cost about 2.5 s before any command began; `check` alone needs the rule engine and the snapshot store.
const snapshotDb = async () => (await import('../../store/snapshot/snapshot-db.js')).SnapshotDb;

/** `--rate-<kind>` for each kind of planted anomaly the generator knows. */
const RATE_FLAGS = Object.keys(DEFAULT_RATES).map((k) => `rate-${k}`);

// Everything this process creates (databases, their -wal files) is for its owner only.
process.umask(0o077);

/** This process's one clock, handed to everything below that stamps a time (the workstation commands build their own). */
const clock = systemClock;

const USAGE = `usage:
  npm run cli -- audit verify --user NAME [--data DIR] [--json]
    password from $AW_PASSWORD or the first line of stdin
  npm run cli -- sync --user NAME [--data DIR]      sync an enrolled user's snapshot (password as for audit verify)
  npm run cli -- trace FILE --user SUPERVISOR [--data DIR] [--json]
    rank the exports a leaked file (xlsx, csv or pasted rows) came from; exit 0 attributed, 3 not attributed
  npm run cli -- precheck --snapshot FILE --in APPLICANTS.csv|xlsx --out RESULTS.csv [--key-file F]
  npm run cli -- check --snapshot FILE --json OUT [--key-file F (default FILE.key)] [--rules R-DEATH,R-EXIT] [--scope 320111002]
                       [--preset policy|v1] [--parameters REGION.json]
  npm run cli -- monitor --snapshot FILE --json OUT [--key-file F (default FILE.key)] [--parameters REGION.json] [--scope 320111002]
    every monitoring signal over every household: one warning per household (level, signals, layers, evidence)
  npm run cli -- report --snapshot FILE --period YYYY-MM --out DIR [--key-file F] [--scope 320111002]
    runs the rule library on the snapshot alone: no cases, so case figures are zero
  npm run cli -- report --user SUPERVISOR --period YYYY-MM --out DIR [--data DIR] [--scope 320111002]
    the app's report on the workstation: the user's snapshot, scope and the team's cases (password as for audit verify)
  npm run cli -- generate --out DIR [--persons N] [--seed S] [--as-of YYYY-MM-DD]
                          [--format csv|xlsx|snapshot] [--dirty] [--key-file F] [--rate-<kind> X] [--schema 1|2]
                          [--profile sparse|dense]
    --profile dense: feeds shaped like a province's (every earner's monthly incomes, five years of payments, larger households)
    --schema 1: the district as a v1 platform delivered it (no schema v2 feeds or columns); kinds: ${Object.keys(DEFAULT_RATES).join(', ')}`;

async function readPassword(): Promise<string> {
  if (process.env.AW_PASSWORD) return process.env.AW_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new Error('no password given');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      data: { type: 'string' },
      // `audit verify --json` is a switch; `check --json OUT` names the output file.
      json: argv[0] === 'check' || argv[0] === 'monitor' ? { type: 'string' } : { type: 'boolean', default: false },
      out: { type: 'string' },
      persons: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      'as-of': { type: 'string' },
      format: { type: 'string', default: 'csv' },
      dirty: { type: 'boolean', default: false },
      'key-file': { type: 'string' },
      snapshot: { type: 'string' },
      in: { type: 'string' },
      rules: { type: 'string' },
      scope: { type: 'string' },
      period: { type: 'string' },
      schema: { type: 'string', default: '2' },
      preset: { type: 'string', default: 'policy' },
      parameters: { type: 'string' },
      profile: { type: 'string', default: 'sparse' },
      ...Object.fromEntries(RATE_FLAGS.map((f) => [f, { type: 'string' as const }])),
    },
  });
  const [group, command] = positionals;
  if (group === 'generate') {
    if (!values.out) throw new Error('--out is required');
    const format = values.format as string;
    if (!['csv', 'xlsx', 'snapshot'].includes(format)) throw new Error(`--format must be csv, xlsx or snapshot, not ${format}`);
    if (!['1', '2'].includes(values.schema as string)) throw new Error(`--schema must be 1 or 2, not ${values.schema}`);
    if (!['sparse', 'dense'].includes(values.profile as string)) throw new Error(`--profile must be sparse or dense, not ${values.profile}`);
    const rates = Object.fromEntries(
      Object.keys(DEFAULT_RATES)
        .filter((k) => (values as Record<string, unknown>)[`rate-${k}`] !== undefined)
        .map((k) => [k, Number((values as Record<string, unknown>)[`rate-${k}`])]),
    );
    const { runGenerate } = await import('./generate-command.js');
    const summary = await runGenerate({
      out: values.out,
      persons: Number(values.persons),
      seed: Number(values.seed),
      asOf: values['as-of'],
      format: format as 'csv' | 'xlsx' | 'snapshot',
      dirty: values.dirty as boolean,
      keyFile: values['key-file'],
      rates,
      schemaVersion: Number(values.schema) as 1 | 2,
      profile: values.profile as 'sparse' | 'dense',
    }, clock);
    console.log(JSON.stringify(summary, null, 2));
    return 0;
  }
  if (group === 'precheck') {
    if (!values.snapshot || !values.in || !values.out) throw new Error('precheck needs --snapshot, --in and --out');
    const { precheckList, safeCell } = await import('../../services/checks/precheck-batch.js');
    const { stringify } = await import('csv-stringify/sync');
    const { terms } = await import('../../platform/terms.js');
    const snapshot = (await snapshotDb()).open(values.snapshot, loadKey(values['key-file'] ?? `${values.snapshot}.key`));
    try {
      const rows = await precheckList(snapshot, values.in);
      const t = terms('zh-CN');
      const header = ['申请编号', '救助业务', '居住地区划', '成员数', '预审结果', '原因', '说明'];
      const lines = rows.map((r) => [
        r.applicationId,
        r.program,
        r.divisionCode,
        String(r.personIds.length),
        r.result ? t(`precheck.outcomes.${r.result.outcome}`) : '无法预审',
        r.result
          ? [
              ...r.result.inputProblems.map((p) => t('precheck.inputProblem', { position: p.position, masked: p.masked, problem: t(`precheck.problems.${p.problem}`) })),
              ...r.result.reasons.map((x) => `${t(`precheck.reasons.${x.code}`)}${x.personId ? `（${x.personId}）` : ''}`),
            ].join('；')
          : '',
        r.problem ?? '',
      ].map(safeCell));
      writeFileSync(values.out, '\uFEFF' + stringify([header, ...lines]), { mode: 0o600 });
      const passed = rows.filter((r) => r.result?.pass).length;
      console.log(`${rows.length} applications: ${passed} pass, ${rows.length - passed} fail or cannot be checked → ${values.out}`);
    } finally {
      snapshot.close();
    }
    return 0;
  }
  if (group === 'report' && values.user) {
    if (!values.out || !values.period || !PERIOD.test(values.period)) throw new Error('report needs --period YYYY-MM and --out DIR');
    const { reportAsUser } = await import('./report-command.js');
    const r = await reportAsUser({ dataDir: values.data ?? defaultDataDir(), username: values.user, password: await readPassword(), period: values.period, outDir: values.out, ...(values.scope ? { divisionPrefix: values.scope } : {}) });
    console.log(`report ${r.exportIds.join(', ')} (in the export register)\n  ${r.pdf}\n  ${r.xlsx}`);
    return 0;
  }
  if (group === 'report') {
    if (!values.snapshot || !values.out || !values.period || !PERIOD.test(values.period)) throw new Error('report needs --snapshot FILE (or --user NAME), --period YYYY-MM and --out DIR');
    const { headlessMonthlyReport } = await import('../../services/reports/headless-report.js');
    const snapshot = (await snapshotDb()).open(values.snapshot, loadKey(values['key-file'] ?? `${values.snapshot}.key`));
    try {
      const started = performance.now();
      const r = await headlessMonthlyReport({ clock, snapshot, period: values.period, outDir: values.out, ...(values.scope ? { scope: values.scope.split(',') } : {}) });
      console.log(`report ${r.reportId}: ${r.findings} findings, in ${((performance.now() - started) / 1000).toFixed(1)} s\n  ${r.pdf}\n  ${r.xlsx}`);
    } finally {
      snapshot.close();
    }
    return 0;
  }
  if (group === 'check') {
    const out = values.json as unknown as string | undefined;
    if (!values.snapshot || !out) throw new Error('check needs --snapshot FILE and --json OUT');
    if (!['policy', 'v1'].includes(values.preset as string)) throw new Error(`--preset must be policy or v1, not ${values.preset}`);
    const { readParameterFile } = await import('../../domain/rules/parameter-file.js');
    const { regionalForRules } = await import('../../services/checks/parameter-service.js');
    const { checkReport, runChecks } = await import('../../services/checks/rule-engine.js');
    // A region's parameter set (the same file 规则核查 imports), checked before anything runs.
    const regional = values.parameters ? readParameterFile(readFileSync(values.parameters, 'utf8')).values : [];
    const snapshot = (await snapshotDb()).open(values.snapshot, loadKey(values['key-file'] ?? `${values.snapshot}.key`));
    try {
      const run = await runChecks(snapshot, {
        clock,
        preset: values.preset as 'policy' | 'v1',
        regional: regionalForRules(regional),
        ruleIds: values.rules ? values.rules.split(',') : undefined,
        scope: values.scope ? values.scope.split(',') : null,
        onProgress: (p) => p.ruleId && process.stderr.write(`\r${p.done + 1}/${p.total} ${p.ruleId}        `),
      });
      process.stderr.write('\n');
      writeReportJson(out, checkReport(snapshot, run), 'findings');
      for (const r of run.rules) {
        const partly = (r.missingParameters ? `  部分条件未运行：缺少参数 ${r.missingParameters.join('、')}` : '') + (r.storedAtBuild ? '  快照构建时已按默认参数算出' : '');
        console.log(r.missingFeeds ? `${r.id.padEnd(18)} 未运行：缺少 ${r.missingFeeds.join('、')} 数据` : `${r.id.padEnd(18)} ${String(r.count).padStart(7)} findings  ${String(r.ms).padStart(6)} ms${partly}`);
      }
      console.log(`${run.findings.length} findings written to ${out}`);
    } finally {
      snapshot.close();
    }
    return 0;
  }
  if (group === 'monitor') {
    const out = values.json as unknown as string | undefined;
    if (!values.snapshot || !out) throw new Error('monitor needs --snapshot FILE and --json OUT');
    const { readParameterFile } = await import('../../domain/rules/parameter-file.js');
    const { evaluateMonitoring, monitorReport, regionalForSignals } = await import('../../services/monitoring/evaluate.js');
    // A region's parameter set (the same file 规则核查 imports), checked before anything runs.
    const regional = values.parameters ? readParameterFile(readFileSync(values.parameters, 'utf8')).values : [];
    const snapshot = (await snapshotDb()).open(values.snapshot, loadKey(values['key-file'] ?? `${values.snapshot}.key`));
    try {
      const run = await evaluateMonitoring(snapshot, {
        clock,
        regional: regionalForSignals(regional),
        scope: values.scope ? values.scope.split(',') : null,
        onProgress: (p) => process.stderr.write(`\r${p.done}/${p.total} ${p.id}        `),
      });
      process.stderr.write('\n');
      writeReportJson(out, monitorReport(snapshot, run), 'warnings');
      for (const s of run.signals) {
        console.log(s.missingFeeds ? `${s.id.padEnd(15)} 未运行：缺少 ${s.missingFeeds.join('、')} 数据` : `${s.id.padEnd(15)} ${String(s.households).padStart(7)} households  ${String(s.ms).padStart(6)} ms`);
      }
      const byLevel = (level: string) => run.warnings.filter((w) => w.level === level).length;
      console.log(`${run.warnings.length} warnings (red ${byLevel('red')}, orange ${byLevel('orange')}, yellow ${byLevel('yellow')}), ${run.warnings.filter((w) => w.monitored).length} in the monitored population, written to ${out}`);
    } finally {
      snapshot.close();
    }
    return 0;
  }
  if (group === 'sync') {
    if (!values.user) throw new Error('--user is required');
    const { syncAsUser } = await import('./sync-command.js');
    const last = await syncAsUser(values.data ?? defaultDataDir(), values.user, await readPassword(), (p) =>
      process.stderr.write(`\r${p.phase} ${p.bytesTotal ? Math.round((100 * p.bytesDone) / p.bytesTotal) + '%' : ''}      `),
    );
    process.stderr.write('\n');
    console.log(JSON.stringify(last, null, 2));
    // 0: installed or up to date; 2: refused (a rollback, a forged manifest, a refused anchor…); 1: failed.
    return last.outcome === 'installed' || last.outcome === 'up_to_date' ? 0 : last.outcome === 'refused' ? 2 : 1;
  }
  if (group === 'trace') {
    const file = command;
    if (!file || !values.user) throw new Error('trace needs a FILE and --user SUPERVISOR');
    const { describeTrace, traceAsUser } = await import('./trace-command.js');
    const trace = await traceAsUser(values.data ?? defaultDataDir(), values.user, await readPassword(), file);
    if (values.json) console.log(JSON.stringify(trace, null, 2));
    else console.log(describeTrace(trace));
    return trace.candidates.some((c) => c.attributed) ? 0 : 3;
  }
  if (group === 'audit' && command === 'verify') {
    if (!values.user) throw new Error('--user is required');
    const { verifyUserChain } = await import('../../services/offline-access.js');
    const report = await verifyUserChain(values.data ?? defaultDataDir(), values.user, await readPassword(), clock);
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else if (report.firstBreak) {
      console.log(`audit chain of ${report.username}: BROKEN at entry ${report.firstBreak.seq} (${report.firstBreak.reason}); ${report.checked} entries before it are intact`);
    } else {
      console.log(`audit chain of ${report.username}: intact, ${report.checked} entries, head ${report.head?.seq}:${report.head?.hash.slice(0, 16)}…`);
    }
    return report.firstBreak ? 2 : 0;
  }
  console.error(USAGE);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof CallError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}`);
    process.exit(1);
  },
);
