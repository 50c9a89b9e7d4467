import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { accountReadAccountQueryKey } from "~/client/@tanstack/react-query.gen";
import LoginPage from "~/routes/login";
import { fakeApi, Location, renderRoutes, resetApi, user } from "~/testing";

function renderLogin(url = "/login") {
  const queryClient = renderRoutes(
    [
      { path: "/login", Component: LoginPage },
      { path: "*", Component: Location },
    ],
    url,
  );
  return { queryClient, browser: userEvent.setup() };
}

async function logIn(browser: ReturnType<typeof userEvent.setup>, email: string, password: string) {
  if (email) await browser.type(screen.getByLabelText("Email"), email);
  if (password) await browser.type(screen.getByLabelText("Password"), password);
  await browser.click(screen.getByRole("button", { name: "Log in" }));
}

describe("LoginPage", () => {
  afterEach(resetApi);

  it("checks the fields against the API schema before sending anything", async () => {
    const api = fakeApi({});
    const { browser } = renderLogin();

    await logIn(browser, "not an address", "");

    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(
      "Enter a valid email address.",
    );
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(
      "This field is required.",
    );
    expect(api).not.toHaveBeenCalled();
  });

  it("says so when the email or password is wrong, keeping the email", async () => {
    fakeApi({
      "POST /api/auth/login": {
        status: 401,
        body: { detail: "Wrong email or password.", code: "invalid_credentials" },
      },
    });
    const { browser } = renderLogin();

    await logIn(browser, "ada@example.com", "wrong horse");

    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
  });

  it("passes on the rate limit's waiting time", async () => {
    fakeApi({
      "POST /api/auth/login": {
        status: 429,
        headers: { "Retry-After": "30" },
        body: { detail: "Too many attempts; try again in 30 seconds.", code: "rate_limited" },
      },
    });
    const { browser } = renderLogin();

    await logIn(browser, "ada@example.com", "correct horse");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Too many attempts; try again in 30 seconds.",
    );
  });

  it("logs in and goes back to the page that asked for it", async () => {
    const api = fakeApi({ "POST /api/auth/login": { status: 200, body: user } });
    const { browser, queryClient } = renderLogin("/login?next=%2Fitems%2Fnew%3Fx%3D1");

    await logIn(browser, "ada@example.com", "correct horse battery");

    expect(await screen.findByTestId("location")).toHaveTextContent("/items/new?x=1");
    expect(api).toHaveBeenCalledWith("POST /api/auth/login", {
      email: "ada@example.com",
      password: "correct horse battery",
    });
    expect(queryClient.getQueryData(accountReadAccountQueryKey())).toEqual(user);
  });

  it("never follows a `next` that leaves the site", async () => {
    fakeApi({ "POST /api/auth/login": { status: 200, body: user } });
    const { browser } = renderLogin("/login?next=%2F%2Fevil.example%2F");

    await logIn(browser, "ada@example.com", "correct horse battery");

    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
  });
});
