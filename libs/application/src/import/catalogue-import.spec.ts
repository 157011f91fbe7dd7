import { InMemoryEventStore } from '@app/event-store';
import { executeIssuerCommand } from '../commands';
import { StreamCommands } from '../stream-commands';
import { importCatalogue, parseCatalogue } from './catalogue-import';

const NOW = '2026-09-01T09:00:00.000Z';
const achievement = (id: string, issuerId: string) => `
  - id: ${id}
    issuerId: ${issuerId}
    title: ${id}
    kind: skill
    statement: I can do ${id}
    learningOutcomes: [Does ${id}]
    criteria: [{ id: main, description: Does ${id}, required: true }]
    notionalHours: 125
    level: { framework: EQF, level: 6 }
    credits: [{ framework: ECTS, value: 5 }]
    assessmentType: practical
    participation: online`;
const CATALOGUE = `
issuers:
  - { id: tu-dublin, name: TU Dublin, url: https://tudublin.ie, country: IE, qualityAssurance: QQI }
  - { id: uni-porto, name: U. Porto, url: https://up.pt, country: PT, qualityAssurance: A3ES }
achievements:${achievement('dublin-sql', 'tu-dublin')}${achievement('porto-stats', 'uni-porto')}
pathways:
  - id: joint
    issuerId: tu-dublin
    title: Joint certificate
    award: { title: Joint, type: Certificate, level: { framework: EQF, level: 6 }, credits: [{ framework: ECTS, value: 10 }] }
    rule: { allOf: [{ achievement: dublin-sql }, { achievement: porto-stats }] }
    conferral: automatic
`;

describe('catalogue import of a pathway naming another issuer’s achievements', () => {
  it('rejects it, naming the node, without a recognition; defines it with one', async () => {
    const streams = new StreamCommands(new InMemoryEventStore());
    const items = parseCatalogue('catalogue.yaml', CATALOGUE);
    const first = await importCatalogue(streams, items, { actorSub: 'cli:test', now: NOW });
    expect(first.map((result) => result.outcome.status)).toEqual([
      'defined',
      'defined',
      'defined',
      'defined',
      'rejected',
    ]);
    const joint = first.find((result) => result.item.fields.id === 'joint')!;
    expect(joint.outcome).toEqual({
      status: 'rejected',
      reasons: [expect.stringMatching(/^rule\.allOf\[1\]: porto-stats is an achievement of uni-porto/)],
    });
    expect(await streams.readStream('pathway-joint')).toEqual([]);

    const actor = { sub: 'tu-admin', roles: ['issuer-admin' as const], issuers: ['tu-dublin'] };
    await executeIssuerCommand(
      streams,
      {
        type: 'RecordRecognition',
        data: {
          issuerId: 'tu-dublin',
          recognitionId: 'porto',
          recognisedIssuerId: 'uni-porto',
          achievementIds: 'all',
          from: '2026-01-01T00:00:00Z',
        },
        metadata: { now: NOW, actor },
      },
      { commandId: '00000000-0000-4000-8000-000000000001', correlationId: 'c', actor, now: NOW },
    );
    const second = await importCatalogue(streams, items, { actorSub: 'cli:test', now: NOW });
    expect(second.find((result) => result.item.fields.id === 'joint')!.outcome).toEqual({
      status: 'defined',
      version: 1,
    });
  });
});
