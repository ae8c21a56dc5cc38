import { describe, expect, it } from "vitest";

import { runFilterParams } from "../runs";

describe("runFilterParams", () => {
  it("asks for step tests only when their source is filtered on", () => {
    expect(runFilterParams({ source: "ui,api" }).has("include_tests")).toBe(false);
    expect(runFilterParams({ source: "test_step" }).get("include_tests")).toBe("true");
  });
});
