import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@crc/contracts';
import { AUTHORIZED_ROLES } from './authorize.decorator';
import { ServiceEnvironment } from '../config/service-environment';
import { RateLimiter } from '../security/rate-limiter';
import { CredentialStore } from './credential-store';
import { Principal, Role } from './principal';

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export class AuthenticationRequiredError extends DomainError {
  constructor() {
    super('AUTH.UNAUTHENTICATED', 'A valid bearer token is required.', 'UNAUTHENTICATED');
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('REQUEST.RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, 'RATE_LIMITED', { retryAfterSeconds });
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'FORBIDDEN');
  }
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly perCredential: RateLimiter;
  private readonly failedAuthentications: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialStore,
    config: ServiceEnvironment,
  ) {
    this.perCredential = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);
    this.failedAuthentications = new RateLimiter(config.FAILED_AUTH_PER_MINUTE);
  }

  canActivate(context: ExecutionContext): boolean {
    const allowed = this.reflector.getAllAndOverride<Role[] | 'public' | undefined>(AUTHORIZED_ROLES, [context.getHandler(), context.getClass()]);
    if (allowed === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header) : null;
    const principal = match ? this.credentials.authenticate(match[1]) : undefined;
    if (!principal) {
      const wait = this.failedAuthentications.take(`ip:${request.ip}`);
      if (wait !== undefined) throw new RateLimitedError(wait);
      throw new AuthenticationRequiredError();
    }
    const wait = this.perCredential.take(principal.credentialId);
    if (wait !== undefined) throw new RateLimitedError(wait);
    request.principal = principal;

    if (!allowed || !allowed.includes(principal.role)) {
      throw new ForbiddenError('AUTH.ROLE_NOT_ALLOWED', `A ${principal.role} credential may not call this route.`);
    }
    const params = (request.params ?? {}) as Record<string, string>;
    if ((principal.role === 'kiosk' || principal.role === 'staff') && params.centerId !== undefined) {
      if (params.centerId !== principal.centerId) {
        throw new ForbiddenError('AUTH.WRONG_CENTER', 'This credential belongs to another center.');
      }
    }
    if (principal.role === 'partner' && params.plan !== undefined && params.plan !== principal.plan) {
      throw new ForbiddenError('AUTH.WRONG_PLAN', "A partner may read only its own plan's data.");
    }
    return true;
  }
}

/** The authenticated caller, for handlers that record who did what. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new AuthenticationRequiredError();
  return request.principal;
});
