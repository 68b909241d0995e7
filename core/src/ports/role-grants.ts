// Port: roles granted inside pup (`/pup role grant|revoke <@user> admin`). They add to the roles
// Slack reports live (`users.info`); they never take one away, so a revoke only removes a grant.

/** The only role pup grants today. */
export type GrantedRole = "admin";

export interface RoleGrant {
  teamId: string;
  userId: string;
  role: GrantedRole;
  /** The Slack user who granted it. */
  grantedBy: string;
  grantedAt: Date;
}

export interface RoleGrants {
  /** Grants `role`; false when the user already had it (the first grant is kept as it was). */
  grant(grant: Omit<RoleGrant, "grantedAt">): Promise<boolean>;
  /** Removes the grant; false when there was none. */
  revoke(teamId: string, userId: string, role: GrantedRole): Promise<boolean>;
  /** One indexed lookup, never cached: a revoke takes effect on the next command. */
  has(teamId: string, userId: string, role: GrantedRole): Promise<boolean>;
  /** Every grant in the workspace, oldest first. */
  list(teamId: string): Promise<RoleGrant[]>;
}
