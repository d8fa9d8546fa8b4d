export interface Owner {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  createdAt: number;
  archived: boolean;
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
    teams: [],
  };
}
