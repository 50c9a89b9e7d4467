import { describe, expect, it } from "vitest";
import { errorMessage, fieldErrors, isNotAuthenticated, isNotFound } from "~/lib/api-errors";

const validationError = {
  detail: "Invalid input",
  code: "validation_error",
  request_id: "req-1",
  errors: [
    {
      field: "title",
      message: "String should have at least 1 character",
      type: "string_too_short",
    },
    { field: "title", message: "a second problem", type: "other" },
    {
      field: "description",
      message: "String should have at most 2000 characters",
      type: "too_long",
    },
  ],
};

describe("fieldErrors", () => {
  it("maps each field of a 422 body to its first message", () => {
    expect(fieldErrors(validationError)).toEqual({
      title: "String should have at least 1 character",
      description: "String should have at most 2000 characters",
    });
  });

  it("gives no field errors for errors without a field list", () => {
    expect(fieldErrors({ detail: "Item x not found", code: "not_found" })).toEqual({});
    expect(fieldErrors(new TypeError("Failed to fetch"))).toEqual({});
    expect(fieldErrors(undefined)).toEqual({});
  });
});

describe("errorMessage", () => {
  it("uses the server's detail", () => {
    expect(errorMessage(validationError)).toBe("Invalid input");
  });

  it("passes on the server's rate-limit sentence with its waiting time", () => {
    const limited = { detail: "Too many attempts; try again in 42 seconds.", code: "rate_limited" };
    expect(errorMessage(limited)).toBe("Too many attempts; try again in 42 seconds.");
  });

  it("explains a refused cross-site request in the user's words", () => {
    const refused = { detail: "Cross-site request refused: send it …", code: "csrf_failed" };
    expect(errorMessage(refused)).toMatch(/did not come from this site\. Reload the page/);
  });

  it("explains a network failure", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe(
      "Could not reach the server (Failed to fetch).",
    );
  });

  it("falls back to a generic sentence for anything else", () => {
    expect(errorMessage("boom")).toBe("Something went wrong. Please try again.");
  });
});

describe("isNotFound", () => {
  it("recognises the API's not_found code only", () => {
    expect(isNotFound({ detail: "Item x not found", code: "not_found" })).toBe(true);
    expect(isNotFound(validationError)).toBe(false);
  });
});

describe("isNotAuthenticated", () => {
  it("recognises a missing or ended session, not wrong credentials", () => {
    expect(isNotAuthenticated({ detail: "Log in to continue.", code: "not_authenticated" })).toBe(
      true,
    );
    expect(
      isNotAuthenticated({ detail: "Wrong email or password.", code: "invalid_credentials" }),
    ).toBe(false);
  });
});
