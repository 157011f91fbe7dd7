import { startProjector } from './projector';

void startProjector();
