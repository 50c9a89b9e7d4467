// Turns what the API client throws into messages for a page and its form fields.
import type { ErrorResponse } from "~/client";

function isErrorResponse(error: unknown): error is ErrorResponse {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as ErrorResponse).detail === "string" &&
    typeof (error as ErrorResponse).code === "string"
  );
}

/** An Error from any realm: `instanceof Error` misses one thrown by another frame or by Node's fetch under a VM. */
export function isError(error: unknown): error is Error {
  return error instanceof Error || Object.prototype.toString.call(error) === "[object Error]";
}

/** One message per field from a 422 body (`errors[].field`); the first message wins. */
export function fieldErrors(error: unknown): Record<string, string> {
  const byField: Record<string, string> = {};
  if (!isErrorResponse(error)) return byField;
  for (const problem of error.errors ?? []) {
    byField[problem.field] ??= problem.message;
  }
  return byField;
}

/** What to say instead of the server's detail, for codes whose detail speaks to developers. */
const MESSAGES: Record<string, string> = {
  csrf_failed:
    "The server refused a request that did not come from this site. Reload the page and try again.",
};

/** A sentence for the whole request: the server's detail, or why the request failed at all. */
export function errorMessage(error: unknown): string {
  if (isErrorResponse(error)) return MESSAGES[error.code] ?? error.detail;
  if (isError(error)) return `Could not reach the server (${error.message}).`;
  return "Something went wrong. Please try again.";
}

/** True when the API answered 404 for the thing asked for. */
export function isNotFound(error: unknown): boolean {
  return isErrorResponse(error) && error.code === "not_found";
}

/** True when the API answered 401 because there is no valid session (never logged in, expired, revoked). */
export function isNotAuthenticated(error: unknown): boolean {
  return isErrorResponse(error) && error.code === "not_authenticated";
}
