import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ReadinessGates } from './readiness-gates';

@Global()
@Module({ controllers: [HealthController], providers: [ReadinessGates], exports: [ReadinessGates] })
export class HealthModule {}
