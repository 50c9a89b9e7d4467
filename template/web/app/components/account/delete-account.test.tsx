import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { DeleteAccount } from "~/components/account/delete-account";
import { fakeApi, Location, renderRoutes, resetApi } from "~/testing";

function renderDeleteAccount() {
  renderRoutes(
    [
      { path: "/account", Component: DeleteAccount },
      { path: "*", Component: Location },
    ],
    "/account",
  );
  return userEvent.setup();
}

describe("DeleteAccount", () => {
  afterEach(resetApi);

  it("asks for the password and stays open when it is wrong", async () => {
    const api = fakeApi({
      "DELETE /api/account": {
        status: 422,
        body: {
          detail: "Invalid input",
          code: "validation_error",
          errors: [{ field: "password", message: "Wrong password.", type: "wrong_password" }],
        },
      },
    });
    const browser = renderDeleteAccount();

    await browser.click(screen.getByRole("button", { name: "Delete account…" }));
    const dialog = screen.getByRole("alertdialog");
    await browser.click(screen.getByRole("button", { name: "Delete my account" }));
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(
      "This field is required.",
    );
    expect(api).not.toHaveBeenCalled();

    await browser.type(screen.getByLabelText("Password"), "not it");
    await browser.click(screen.getByRole("button", { name: "Delete my account" }));

    expect(await screen.findByText("Wrong password.")).toBeInTheDocument();
    expect(dialog).toBeInTheDocument();
  });

  it("deletes the account with the password and leaves the app", async () => {
    const api = fakeApi({ "DELETE /api/account": { status: 204 } });
    const browser = renderDeleteAccount();

    await browser.click(screen.getByRole("button", { name: "Delete account…" }));
    await browser.type(screen.getByLabelText("Password"), "correct horse battery");
    await browser.click(screen.getByRole("button", { name: "Delete my account" }));

    expect(await screen.findByTestId("location")).toHaveTextContent("/signup");
    expect(api).toHaveBeenCalledWith("DELETE /api/account", { password: "correct horse battery" });
  });

  it("can be cancelled", async () => {
    const api = fakeApi({});
    const browser = renderDeleteAccount();

    await browser.click(screen.getByRole("button", { name: "Delete account…" }));
    await browser.click(screen.getByRole("button", { name: "Cancel" }));

    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(api).not.toHaveBeenCalled();
  });
});
