import 'reflect-metadata';
import { runServiceMain } from '@crc/platform';
import { REPORTING_SERVICE } from './reporting.app.module';

runServiceMain(REPORTING_SERVICE);
