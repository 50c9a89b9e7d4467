import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { SessionPublic } from "~/client";
import { SessionsList } from "~/components/account/sessions-list";
import { fakeApi, renderRoutes, resetApi } from "~/testing";

function session(id: string, current: boolean, userAgent: string | null): SessionPublic {
  return {
    id: `session_01h455vb4pex5vsknk084sn0${id}`,
    created_at: "2026-01-01T10:00:00Z",
    last_seen_at: "2026-01-02T10:00:00Z",
    user_agent: userAgent,
    ip: "127.0.0.1",
    current,
  };
}

const here = session(
  "aa",
  true,
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
);
const phone = session(
  "bb",
  false,
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
);

function ReadOnlySessionsList() {
  return <SessionsList readOnly />;
}

describe("SessionsList", () => {
  afterEach(resetApi);

  it("marks this browser's session and lets the others be logged out one by one", async () => {
    let sessions = [here, phone];
    const api = fakeApi({
      "GET /api/account/sessions": () => ({ status: 200, body: sessions }),
      [`DELETE /api/account/sessions/${phone.id}`]: () => {
        sessions = [here];
        return { status: 204 };
      },
    });
    renderRoutes([{ path: "/", Component: SessionsList }], "/");

    const list = await screen.findByRole("list", { name: "Sessions" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Firefox on Linux");
    expect(rows[0]).toHaveTextContent("This browser");
    expect(rows[1]).toHaveTextContent("Safari on iOS");
    expect(within(rows[0] as HTMLElement).queryByRole("button")).not.toBeInTheDocument();

    await userEvent
      .setup()
      .click(within(rows[1] as HTMLElement).getByRole("button", { name: /Log out Safari/ }));

    expect(await screen.findByRole("listitem")).toHaveTextContent("Firefox on Linux");
    expect(api).toHaveBeenCalledWith(`DELETE /api/account/sessions/${phone.id}`, undefined);
    expect(screen.queryByRole("button", { name: "Log out all other sessions" })).toBeNull();
  });

  it("logs out every other session at once", async () => {
    let sessions = [here, phone, session("cc", false, null)];
    fakeApi({
      "GET /api/account/sessions": () => ({ status: 200, body: sessions }),
      "DELETE /api/account/sessions": () => {
        sessions = [here];
        return { status: 204 };
      },
    });
    renderRoutes([{ path: "/", Component: SessionsList }], "/");

    expect(await screen.findByText("Unknown browser")).toBeInTheDocument();
    await userEvent
      .setup()
      .click(screen.getByRole("button", { name: "Log out all other sessions" }));

    expect(await screen.findByRole("listitem")).toHaveTextContent("This browser");
  });

  it("offers no log-out while an admin acts as the user (only the owner may)", async () => {
    fakeApi({ "GET /api/account/sessions": () => ({ status: 200, body: [here, phone] }) });
    renderRoutes([{ path: "/", Component: ReadOnlySessionsList }], "/");

    const list = await screen.findByRole("list", { name: "Sessions" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("says so when no session is listed (an admin acting as the user has none of theirs)", async () => {
    fakeApi({ "GET /api/account/sessions": { status: 200, body: [] } });
    renderRoutes([{ path: "/", Component: SessionsList }], "/");

    expect(await screen.findByText("This account is not logged in anywhere.")).toBeInTheDocument();
  });
});
