import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { AchievementsController } from './achievements.http.controller';

@Module({ imports: [DefinitionsModule], controllers: [AchievementsController] })
export class AchievementsModule {}
