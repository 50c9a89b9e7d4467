// Who sees the admin area: an admin acting as themselves (not while impersonating someone).
import type { AccountPublic } from "~/client";

export function isAdmin(account: AccountPublic | undefined): boolean {
  return account?.role === "admin" && !account.impersonator;
}
