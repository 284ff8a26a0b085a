// synth-all.js synthesizes several of the apps in bench/cdk/<example>/app.js
// in ONE node process (loading aws-cdk-lib once), each into its own cloud
// assembly directory <outRoot>/<example>. The parity test runs it; the
// benchmarks run each app.js on its own instead.
//
//   NODE_PATH=<node_modules> node synth-all.js <outRoot> [example...]
//
// With no example, every directory here that holds an app.js. Prints one
// JSON line per app ({"example", "ok", "ms", "error"}) and exits 1 when any
// app failed.
//
// With SYNTH_ALL_TEMPLATES_ONLY=1 (the parity test) assets are not staged
// (the AWS CDK's aws:cdk:disable-asset-staging context, as the SAM CLI
// uses) and any asset.* left in an assembly is removed: the templates are
// the same, without copying the kubectl layer (60 MB) once per app.
const fs = require('fs');
const path = require('path');

process.env.CDK_DISABLE_VERSION_CHECK = '1';
process.env.JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION = '1';
process.env.JSII_DEPRECATED = 'quiet';

const templatesOnly = process.env.SYNTH_ALL_TEMPLATES_ONLY === '1';
if (templatesOnly) {
  const ctx = JSON.parse(process.env.CDK_CONTEXT_JSON || '{}');
  ctx['aws:cdk:disable-asset-staging'] = true;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(ctx);
}

const [outRoot, ...wanted] = process.argv.slice(2);
if (!outRoot) {
  console.error('usage: node synth-all.js <outRoot> [example...]');
  process.exit(2);
}
const examples = wanted.length > 0 ? wanted : fs.readdirSync(__dirname)
  .filter((d) => fs.existsSync(path.join(__dirname, d, 'app.js')))
  .sort();

let failed = false;
for (const example of examples) {
  const out = path.resolve(outRoot, example);
  fs.mkdirSync(out, { recursive: true });
  process.env.CDK_OUTDIR = out;
  const start = process.hrtime.bigint();
  const line = { example, ok: true };
  try {
    require(path.join(__dirname, example, 'app.js'));
  } catch (e) {
    failed = true;
    line.ok = false;
    line.error = String((e && e.stack) || e);
  }
  line.ms = Number((process.hrtime.bigint() - start) / 1000000n);
  if (templatesOnly && fs.existsSync(out)) {
    for (const f of fs.readdirSync(out)) {
      if (f.startsWith('asset.')) {
        fs.rmSync(path.join(out, f), { recursive: true, force: true });
      }
    }
  }
  console.log(JSON.stringify(line));
}
process.exit(failed ? 1 : 0);
