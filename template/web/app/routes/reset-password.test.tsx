import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import ResetPasswordPage from "~/routes/reset-password";
import { fakeApi, renderRoutes, resetApi } from "~/testing";

function renderReset(url: string) {
  renderRoutes([{ path: "/reset-password", Component: ResetPasswordPage }], url);
  return userEvent.setup();
}

describe("ResetPasswordPage", () => {
  afterEach(resetApi);

  it("explains a link without its token instead of showing a form", () => {
    renderReset("/reset-password");

    expect(screen.getByRole("alert")).toHaveTextContent("This link is incomplete");
    expect(screen.queryByLabelText("New password")).not.toBeInTheDocument();
  });

  it("sends the token from the link with the new password, then offers to log in", async () => {
    const api = fakeApi({ "POST /api/auth/password-reset/confirm": { status: 204 } });
    const browser = renderReset("/reset-password?token=abc123");

    await browser.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await browser.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Your password is changed");
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    expect(screen.queryByRole("link", { name: "Ask for a new link" })).not.toBeInTheDocument();
    expect(api).toHaveBeenCalledWith("POST /api/auth/password-reset/confirm", {
      token: "abc123",
      new_password: "a brand new passphrase",
    });
  });

  it("shows the policy's complaint next to the password field", async () => {
    fakeApi({
      "POST /api/auth/password-reset/confirm": {
        status: 422,
        body: {
          detail: "Invalid input",
          code: "validation_error",
          errors: [{ field: "new_password", message: "This password is too common.", type: "x" }],
        },
      },
    });
    const browser = renderReset("/reset-password?token=abc123");

    await browser.type(screen.getByLabelText("New password"), "password123");
    await browser.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByText("This password is too common.")).toBeInTheDocument();
    expect(screen.getByLabelText("New password")).toHaveAttribute("aria-invalid", "true");
  });

  it("says when the link is expired or used", async () => {
    fakeApi({
      "POST /api/auth/password-reset/confirm": {
        status: 400,
        body: {
          detail: "This link is invalid, expired or already used; ask for a new one.",
          code: "invalid_token",
        },
      },
    });
    const browser = renderReset("/reset-password?token=used");

    await browser.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await browser.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("already used; ask for a new one.");
  });
});
