import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import SignupPage from "~/routes/signup";
import { fakeApi, Location, renderRoutes, resetApi, user } from "~/testing";

async function signUp(email: string, password: string) {
  renderRoutes(
    [
      { path: "/signup", Component: SignupPage },
      { path: "*", Component: Location },
    ],
    "/signup",
  );
  const browser = userEvent.setup();
  await browser.type(screen.getByLabelText("Email"), email);
  await browser.type(screen.getByLabelText("Password"), password);
  await browser.click(screen.getByRole("button", { name: "Create account" }));
}

describe("SignupPage", () => {
  afterEach(resetApi);

  it("creates the account and opens the app, logged in", async () => {
    const api = fakeApi({ "POST /api/auth/signup": { status: 201, body: user } });

    await signUp("ada@example.com", "correct horse battery");

    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
    expect(api).toHaveBeenCalledWith("POST /api/auth/signup", {
      email: "ada@example.com",
      password: "correct horse battery",
    });
  });

  it("says the minimum password length the server asks for", async () => {
    fakeApi({
      "GET /api/client-config": {
        status: 200,
        body: {
          environment: "test",
          release: null,
          sentry_dsn: null,
          sentry_traces_sample_rate: 0,
          posthog_key: null,
          posthog_host: "https://eu.i.posthog.com",
          posthog_identify_with_email: false,
          password_min_length: 15,
        },
      },
    });
    renderRoutes([{ path: "/signup", Component: SignupPage }], "/signup");

    expect(await screen.findByText(/^At least 15 characters\./)).toBeInTheDocument();
  });

  it("shows the password policy's answer under the password", async () => {
    fakeApi({
      "POST /api/auth/signup": {
        status: 422,
        body: {
          detail: "Invalid input",
          code: "validation_error",
          errors: [{ field: "password", message: "Use at least 12 characters.", type: "x" }],
        },
      },
    });

    await signUp("ada@example.com", "short");

    expect(await screen.findByLabelText("Password")).toHaveAccessibleDescription(
      /Use at least 12 characters\./,
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says when the address already has an account", async () => {
    fakeApi({
      "POST /api/auth/signup": {
        status: 409,
        body: { detail: "An account with this email already exists.", code: "email_taken" },
      },
    });

    await signUp("ADA@example.com", "correct horse battery");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "An account with this email already exists.",
    );
  });
});
