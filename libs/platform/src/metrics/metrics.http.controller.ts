import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/authorize.decorator';
import { MetricsRegistry } from './metrics-registry';

/**
 * Prometheus' scrape endpoint. Public on the service port: it holds counts and timings only (no
 * member data, routes as templates); the ingresses never route it, and in the cluster only the
 * monitoring namespace may reach the pods for it (deploy/k8s, docs/runbook.md).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsHttpController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Public()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.registry.metrics();
    await reply.header('content-type', this.registry.contentType).send(body);
  }
}
