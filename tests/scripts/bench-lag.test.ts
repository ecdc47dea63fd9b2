/** The bench's detection-lag summary (scripts/bench/lag.js): a provider that did not wait is no lag met. */
const { summarise, lagTarget } = require("../../scripts/bench/lag") as {
  summarise(rows: object[], scaled: boolean): Array<Record<string, unknown>>;
  lagTarget(settleMs: number): number;
};

const row = (lagMs: number, extra: object = {}) => ({
  type: "KakaoRedisCluster",
  op: "create",
  settleMs: 10_000,
  lagMs,
  mutations: 1,
  reads: 5,
  polls: 4,
  ...extra,
});

describe("scripts/bench/lag summarise", () => {
  it("meets the target when every run returned after the change settled, within 0.5 s + 10%", () => {
    expect(lagTarget(10_000)).toBe(1500);
    const [g] = summarise([row(300), row(1100), row(1400)], false);
    expect(g).toMatchObject({ waited: true, lagMet: true, lagMedianMet: true });
    const [late] = summarise([row(300), row(400), row(1600)], false);
    expect(late).toMatchObject({ waited: true, lagMet: false, lagMedianMet: true });
  });

  it("does not call a provider that returned before the change settled a lag met", () => {
    const [g] = summarise([row(-9_999), row(-9_998), row(-9_999)], false);
    expect(g).toMatchObject({ waited: false, lagMet: false, lagMedianMet: false });
  });

  it("does not count the polls of a long operation the provider never waited for as met", () => {
    const long = (lagMs: number, polls: number) =>
      row(lagMs, { settleMs: 600_000, simulatedMs: 600_000, scale: 0.06, polls });
    const [waited] = summarise([long(1_000, 52)], true);
    expect(waited).toMatchObject({ waited: true, pollsMet: true });
    const [never] = summarise([long(-35_000, 0)], true);
    expect(never).toMatchObject({ waited: false, pollsMet: false });
  });
});
