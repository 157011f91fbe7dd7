import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { validationMetadata, validationPipe } from './validation';

class Part {
  @IsString()
  name!: string;
}

class Whole {
  @IsInt()
  count!: number;

  @ValidateNested({ each: true })
  @Type(() => Part)
  parts!: Part[];
}

const asBody = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

describe('validation metadata, looked up once per class', () => {
  it('validates a body again without walking the rules again, and still refuses what breaks them', async () => {
    const body = { count: 2, parts: [{ name: 'a' }, { name: 'b' }] };
    const before = validationMetadata.misses;
    await validationPipe.transform(body, asBody(Whole));
    const misses = validationMetadata.misses;
    // The first validation looks up Whole's rules and Part's.
    expect(misses - before).toBe(2);
    for (let index = 0; index < 5; index++)
      await expect(validationPipe.transform(body, asBody(Whole))).resolves.toBeInstanceOf(Whole);
    await expect(validationPipe.transform({ count: 'two', parts: [{ name: 3 }] }, asBody(Whole))).rejects.toMatchObject(
      { response: { errors: [{ field: 'count' }, { field: 'parts[0].name' }] } },
    );
    expect(validationMetadata.misses).toBe(misses);
  });

  it('honours a rule added after a lookup', async () => {
    class Later {
      @IsString()
      name!: string;
    }
    await validationPipe.transform({ name: 'x' }, asBody(Later));
    // A decorator applied now, as a class defined later would: the kept lookups are forgotten.
    IsInt()(Later.prototype, 'size');
    await expect(validationPipe.transform({ name: 'x', size: 'big' }, asBody(Later))).rejects.toMatchObject({
      response: { errors: [{ field: 'size' }] },
    });
  });
});
