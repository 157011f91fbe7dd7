import { Module } from '@nestjs/common';
import { SchemasController } from '../schemas/schemas.http.controller';
import { FrameworksController } from './frameworks.http.controller';

/** Reference data served as is: credit and level frameworks with their conversions, and the pathway rule's schema. */
@Module({ controllers: [FrameworksController, SchemasController] })
export class FrameworksModule {}
