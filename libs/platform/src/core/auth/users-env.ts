import { Validate, ValidateIf, ValidatorConstraint } from 'class-validator';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import type { AccessControl } from './access-rule';
import { parseUsers, USERS_FORMAT } from './users';

/** Checks `<APP>_USERS`; `args.constraints[0]` names the `<APP>_USE_ROLE` variable that needs users. */
@ValidatorConstraint({ name: 'users' })
class UsersConstraint implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown, args: ValidationArguments): boolean {
    const useRole = args.constraints[0] as string;
    try {
      const text = typeof value === 'string' ? value : '';
      if (text.trim() === '')
        throw new Error(`must list at least one user when ${useRole}=true (${USERS_FORMAT})`);
      const users = parseUsers(text);
      if (users.size === 0 && (args.object as Record<string, unknown>)[useRole])
        throw new Error(`must list at least one user when ${useRole}=true`);
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }

  defaultMessage(): string {
    return this.problem;
  }
}

/**
 * Decorates an env class's `<APP>_USERS` property: validated when `useRoleVariable` is true (then it
 * must list users) or when it is set at all, so a broken value never waits for the switch to flip.
 */
export function IsUsersVariable(useRoleVariable: string): PropertyDecorator {
  return (target, property) => {
    ValidateIf(
      (env: Record<string, unknown>) =>
        env[useRoleVariable] === true || env[property as string] !== undefined,
    )(target, property);
    Validate(UsersConstraint, [useRoleVariable])(target, property);
  };
}

/** The access-control options of a validated env (`<APP>_USE_ROLE`, `<APP>_USERS`). */
export function accessControlFrom(useRole: boolean, users: string | undefined): AccessControl {
  return { useRole, users: users ? parseUsers(users) : new Map() };
}
