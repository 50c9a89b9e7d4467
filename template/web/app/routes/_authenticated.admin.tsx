// The admin area's layout (files named `_authenticated.admin.*.tsx`): only an admin acting as
// themselves sees it; to anyone else it does not exist (the API refuses them anyway).
import { NavLink, Outlet } from "react-router";
import { isAdmin } from "~/lib/admin";
import { useAccount } from "~/lib/session";
import { cn } from "~/lib/utils";

export default function AdminLayout() {
  const account = useAccount();
  if (!isAdmin(account.data)) {
    return (
      <section>
        <h1 className="text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-muted-foreground">There is nothing at this address.</p>
      </section>
    );
  }
  const tabClass = ({ isActive }: { isActive: boolean }) =>
    cn("text-sm font-medium", isActive ? "text-foreground" : "text-muted-foreground");
  return (
    <div className="grid grid-cols-1 gap-6">
      <nav aria-label="Admin" className="flex gap-4 border-b pb-2">
        <NavLink to="/admin" end className={tabClass}>
          Users
        </NavLink>
        <NavLink to="/admin/audit" className={tabClass}>
          Audit log
        </NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
