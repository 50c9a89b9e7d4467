import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { useAccount } from "~/lib/session";
import AuthenticatedLayout from "~/routes/_authenticated";
import VerifyEmailPage from "~/routes/verify-email";
import { fakeApi, type Reply, renderRoutes, resetApi, user } from "~/testing";

const VERIFIED: Reply = { status: 200, body: user };
const UNVERIFIED: Reply = { status: 200, body: { ...user, email_verified_at: null } };

/** The verification page under a navigation that reads the account, as in the app. */
function VerifyEmailWithNavigation() {
  const account = useAccount();
  return (
    <>
      <nav>{account.data?.email}</nav>
      <VerifyEmailPage />
    </>
  );
}

function Items() {
  return <p>Your items</p>;
}

function renderVerification(url: string) {
  renderRoutes(
    [
      { path: "/verify-email", Component: VerifyEmailWithNavigation },
      { Component: AuthenticatedLayout, children: [{ path: "/", Component: Items }] },
    ],
    url,
  );
  return userEvent.setup();
}

async function goToItems(browser: ReturnType<typeof userEvent.setup>) {
  expect(await screen.findByRole("status")).toHaveTextContent(
    "Thank you: ada@example.com is verified.",
  );
  await browser.click(screen.getByRole("link", { name: "Go to your items" }));
  expect(await screen.findByText("Your items")).toBeInTheDocument();
}

describe("VerifyEmailPage", () => {
  afterEach(resetApi);

  it("confirms the link's token once, and stops asking to verify", async () => {
    let confirmed = false;
    const api = fakeApi({
      "POST /api/auth/email-verification/confirm": () => {
        confirmed = true;
        return VERIFIED;
      },
      "GET /api/account": () => (confirmed ? VERIFIED : UNVERIFIED),
    });

    await goToItems(renderVerification("/verify-email?token=the-token"));

    expect(screen.queryByText(/Please verify your email/)).not.toBeInTheDocument();
    expect(api.mock.calls.filter(([route]) => route.startsWith("POST"))).toEqual([
      ["POST /api/auth/email-verification/confirm", { token: "the-token" }],
    ]);
  });

  it("stops asking to verify when an account read from before arrives after the confirmation", async () => {
    // The server answered the page's first account read before the address was verified, but that
    // answer reaches the browser after the confirmation's: a refetch that joined it would keep it.
    let answerFirstRead: (reply: Reply) => void = () => {};
    let reads = 0;
    fakeApi({
      "POST /api/auth/email-verification/confirm": VERIFIED,
      "GET /api/account": () => {
        reads += 1;
        if (reads === 1) return new Promise<Reply>((resolve) => (answerFirstRead = resolve));
        answerFirstRead(UNVERIFIED);
        return VERIFIED;
      },
    });

    await goToItems(renderVerification("/verify-email?token=the-token"));

    expect(screen.queryByText(/Please verify your email/)).not.toBeInTheDocument();
  });

  it("says when the link is incomplete, without sending anything", async () => {
    const api = fakeApi({ "GET /api/account": VERIFIED });
    renderVerification("/verify-email");

    expect(await screen.findByText(/This link is incomplete/)).toBeInTheDocument();
    expect(api.mock.calls.filter(([route]) => route.startsWith("POST"))).toEqual([]);
  });

  it("offers a new link when the link is expired or used", async () => {
    fakeApi({
      "GET /api/account": VERIFIED,
      "POST /api/auth/email-verification/confirm": {
        status: 400,
        body: {
          detail: "This link is invalid, expired or already used; ask for a new one.",
          code: "invalid_token",
        },
      },
    });
    renderVerification("/verify-email?token=used");

    expect(await screen.findByText(/already used; ask for a new one/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Send a new link from your account" })).toHaveAttribute(
      "href",
      "/account",
    );
  });
});
