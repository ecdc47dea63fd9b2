// Command-line flags of the bench and chaos drivers: `--name value`, or an environment variable.
"use strict";

/** Returns readers over `argv`: `flag(name, env)` a string, `int(name, env, dflt, min)` a whole number. */
function flags(argv = process.argv.slice(2)) {
  const flag = (name, env) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : process.env[env];
  };
  const int = (name, env, dflt, min = 1) => {
    const v = flag(name, env);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}, got "${v}"`);
    return n;
  };
  return { argv, flag, int };
}

module.exports = { flags };
