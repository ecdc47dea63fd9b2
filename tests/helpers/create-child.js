// Runs one create of a KakaoCloud resource (`cluster`, `shard` or `replica`, inputs as JSON) from the
// TypeScript source in a process of its own, as the engine's dynamic-provider process does, so that
// a test can SIGKILL it at a chosen point. The environment (emulator endpoints)
// comes from the parent. Prints the create's result as JSON on success.
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const out = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      useDefineForClassFields: false,
    },
  });
  module._compile(out.outputText, filename);
};

const [kind, json] = process.argv.slice(2);
const { provider } = require(`../../provider/kakaocloud/${kind}.ts`);
provider.create(JSON.parse(json)).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err) => {
    process.stderr.write(`${err?.message ?? err}\n`);
    process.exitCode = 1;
  },
);
