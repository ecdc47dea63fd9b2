/**
 * The DCS error codes that mean "the instance is busy with another task" (each one a refusal the
 * provider waits out) and the API gateway's throttling codes: every code of the table, one by one,
 * as a 400 answer, and a neighbouring code that is neither. The tables are built at load time, so
 * each test loads the module afresh (see tests/helpers/fresh.ts).
 */
import type { HttpResponse } from "../../../provider/core/http";
import { fresh } from "../../helpers/fresh";

type Errors = typeof import("../../../provider/huaweicloud/errors");
const load = () => fresh(() => require("../../../provider/huaweicloud/errors") as Errors);

const answer = (status: number, code: string): HttpResponse => {
  const body = { error_code: code, error_msg: "refused" };
  return { status, headers: {}, body, text: JSON.stringify(body) };
};
const OP = "PUT /v2/p/instances/i/ssl";

// Busy codes as the official Terraform provider lists them (huaweicloud/services/dcs).
const BUSY = [
  "DCS.4026",
  "DCS.4049",
  "DCS.4096",
  "DCS.4097",
  "DCS.4104",
  "DCS.4111",
  "DCS.4113",
  "DCS.4114",
  "DCS.4115",
  "DCS.4116",
  "DCS.4117",
  "DCS.4118",
  "DCS.4120",
  "DCS.4121",
  "DCS.4975",
];

describe("DCS busy codes", () => {
  it.each(BUSY)("%s is a busy refusal: retried, nothing applied, with the advice to wait", (code) => {
    const { dcsError, isDcsBusy } = load();
    const err = dcsError(answer(400, code), OP);
    expect(isDcsBusy(err)).toBe(true);
    expect(err.retryable).toBe(true);
    expect(err.refused).toBe(true);
    expect(err.message).toContain("refused (the instance is busy with another task; try again later)");
  });

  it.each(["DCS.4025", "DCS.4119", "DCS.4201", ""])("%s is not a busy code", (code) => {
    const { dcsError, isDcsBusy } = load();
    const err = dcsError(answer(400, code), OP);
    expect(isDcsBusy(err)).toBe(false);
    expect(err.retryable).toBe(false);
    expect(err.refused).toBe(false);
    expect(err.message).not.toContain("busy");
  });
});

describe("API gateway throttling codes", () => {
  it.each(["APIGW.0308", "APIG.0308"])("%s throttles even when the status is not 429", (code) => {
    const { dcsError, isDcsBusy } = load();
    const err = dcsError(answer(400, code), OP);
    expect(err.retryable).toBe(true);
    expect(err.refused).toBe(true);
    expect(isDcsBusy(err)).toBe(false);
  });

  it("a similar code does not throttle", () => {
    const { dcsError } = load();
    const err = dcsError(answer(400, "APIGW.0309"), OP);
    expect(err.retryable).toBe(false);
    expect(err.refused).toBe(false);
  });
});
