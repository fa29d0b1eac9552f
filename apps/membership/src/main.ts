import 'reflect-metadata';
import { runServiceMain } from '@crc/platform';
import { MEMBERSHIP_SERVICE } from './membership.app.module';

runServiceMain(MEMBERSHIP_SERVICE);
