// Proves the module-boundary rule is live: lints an app-to-app import (never written to disk)
// and fails unless @nx/enforce-module-boundaries reports it. Without Nx's project graph the rule
// silently skips itself ("No cached ProjectGraph is available"), and lint would pass unguarded.
import { ESLint } from 'eslint';

const eslint = new ESLint();
const [result] = await eslint.lintText("import { TrackingServiceModule } from '@cairn/tracking-svc';\nexport const probe = TrackingServiceModule;\n", {
  filePath: 'apps/gateway/src/boundary-probe.ts',
});
const caught = result.messages.some((m) => m.ruleId === '@nx/enforce-module-boundaries' && m.severity === 2);
if (!caught) {
  console.error('Module boundaries are NOT enforced: the app-to-app probe import passed lint.');
  console.error(result.messages.map((m) => `  ${m.ruleId}: ${m.message}`).join('\n'));
  process.exit(1);
}
console.log('module boundaries enforced (an app-to-app import is refused)');
