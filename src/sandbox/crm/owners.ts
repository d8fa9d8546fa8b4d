export interface Owner {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  createdAt: number;
  archived: boolean;
  /** HubSpot teams the user belongs to; the first is the primary one. */
  teams?: Array<{ id: string; name: string }>;
}

export function ownerToWire(owner: Owner): Record<string, unknown> {
  const at = new Date(owner.createdAt).toISOString();
  return {
    id: owner.id,
    email: owner.email,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: at,
    updatedAt: at,
    archived: owner.archived,
    teams: (owner.teams ?? []).map((t, i) => ({ id: t.id, name: t.name, primary: i === 0 })),
  };
}
