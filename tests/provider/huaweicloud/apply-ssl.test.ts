import { CloudError, ManagedRedisError, WaitTimeoutError } from "../../../provider/core/errors";
import { AcceptedChangeError } from "../../../provider/huaweicloud/apply-ssl";

describe("AcceptedChangeError", () => {
  const known = { enabled: false };

  it("is a ManagedRedisError with the code, message and cause of what failed after the PUT", () => {
    const timeout = new WaitTimeoutError("DCS job j1", "RUNNING", 400);
    const err = new AcceptedChangeError(timeout, known);
    expect(err).toBeInstanceOf(ManagedRedisError);
    expect(err).toMatchObject({ name: "AcceptedChangeError", code: "WaitTimeout", message: timeout.message });
    expect(err.cause).toBe(timeout);
    expect(err.original).toBe(timeout);
    expect(err.known).toBe(known);
    const api = new CloudError({ cloud: "huaweicloud", code: "DCS.5010", message: "db" });
    expect(new AcceptedChangeError(api, known).code).toBe("DCS.5010");
  });

  it("takes WaitFailed for a failure without a code of its own", () => {
    expect(new AcceptedChangeError(new TypeError("boom"), known)).toMatchObject({
      code: "WaitFailed",
      message: "boom",
    });
    expect(new AcceptedChangeError("lost", known)).toMatchObject({ code: "WaitFailed", message: "lost" });
  });
});
