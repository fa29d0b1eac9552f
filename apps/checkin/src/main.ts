import 'reflect-metadata';
import { runServiceMain } from '@crc/platform';
import { CHECKIN_SERVICE } from './checkin.app.module';

runServiceMain(CHECKIN_SERVICE);
