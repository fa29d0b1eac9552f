import 'reflect-metadata';
import { runServiceMain } from '@crc/platform';
import { TELEHEALTH_SERVICE } from './telehealth.app.module';

runServiceMain(TELEHEALTH_SERVICE);
