import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { ImpersonationBanner } from "~/components/impersonation-banner";
import { fakeApi, Location, renderRoutes, resetApi, user } from "~/testing";

const admin = { id: "user_01h455vb4pex5vsknk084sn02r", email: "root@example.com" };

function renderBanner() {
  renderRoutes(
    [
      { path: "/", Component: ImpersonationBanner },
      { path: "*", Component: Location },
    ],
    "/",
  );
  return userEvent.setup();
}

describe("ImpersonationBanner", () => {
  afterEach(resetApi);

  it("says whose account this is and returns to the admin's view of that user", async () => {
    const api = fakeApi({
      "GET /api/account": { status: 200, body: { ...user, impersonator: admin } },
      "DELETE /api/impersonation": { status: 204 },
    });
    const browser = renderBanner();

    const banner = await screen.findByRole("status", { name: "Impersonation" });
    expect(banner).toHaveTextContent(
      "You are acting as ada@example.com (you are root@example.com)",
    );
    await browser.click(screen.getByRole("button", { name: "Return to admin" }));

    expect(await screen.findByTestId("location")).toHaveTextContent(`/admin/users/${user.id}`);
    expect(api).toHaveBeenCalledWith("DELETE /api/impersonation", undefined);
  });

  it("is not there in a session of one's own", async () => {
    const api = fakeApi({
      "GET /api/account": { status: 200, body: { ...user, impersonator: null } },
    });
    renderBanner();

    await waitFor(() => expect(api).toHaveBeenCalledWith("GET /api/account", undefined));
    expect(screen.queryByRole("status", { name: "Impersonation" })).not.toBeInTheDocument();
  });
});
