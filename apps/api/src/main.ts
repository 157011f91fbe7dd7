import 'reflect-metadata';
import { startApi } from './start-api';

void startApi();
