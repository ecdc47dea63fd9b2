// Command-line flags of the bench and chaos drivers, read with `node:util` parseArgs: each flag is
// declared (an unknown or misspelt one is refused by name) and falls back to an environment variable.
"use strict";
const { parseArgs } = require("node:util");

/**
 * Reads `argv` against the declared flags: `strings` take a value (`--runs 3`, `--runs=3`),
 * `booleans` take none (`--quick`). Returns `flag(name, env)` (the flag's string, else the
 * environment variable's), `bool(name)`, and `int(name, env, dflt, min)` (a whole number ≥ min).
 */
function flags({ strings = [], booleans = [] }, argv = process.argv.slice(2)) {
  const options = {};
  for (const name of strings) options[name] = { type: "string" };
  for (const name of booleans) options[name] = { type: "boolean" };
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    const known = [...strings.map((n) => `--${n} V`), ...booleans.map((n) => `--${n}`)].join(", ");
    throw new Error(`${err.message} (flags: ${known})`, { cause: err });
  }
  const flag = (name, env) => values[name] ?? process.env[env];
  const bool = (name) => values[name] === true;
  const int = (name, env, dflt, min = 1) => {
    const v = flag(name, env);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}, got "${v}"`);
    return n;
  };
  return { flag, bool, int };
}

module.exports = { flags };
