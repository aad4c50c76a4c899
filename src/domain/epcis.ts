/**
 * GS1 EPCIS 2.0 (JSON-LD) events for a certificate's chain, so other traceability systems can
 * read it: issuing is commissioning, a market's check is an observation, a buyer's style-2
 * certificate made from others is a transformation, a revocation is decommissioning.
 * Label URLs serve as the EPCs (EPCIS 2.0 accepts any URI; ours resolve to the verify page).
 * Business steps and dispositions are CBV 2.0 bare words, which the standard context expands.
 */

export interface EpcisCertificate {
  code: string;
  productName: string;
  issuedAt: string;
  status: 'valid' | 'revoked';
  revokedAt: string | null;
  issuerName: string;
  divisionCode: string;
  /** The URIs of its labels (one per package). */
  labelUris: string[];
  /** The label URIs of the certificates it was made from (style 2). */
  sourceUris: string[];
}

export interface EpcisObservation {
  at: string;
  labelUri: string;
  /** Who checked it: a market on arrival, a supervisor on patrol. */
  channel: 'market' | 'supervisor';
}

/** One EPCIS document holding the events of every certificate in the chain, oldest first. */
export function epcisDocument(
  certificates: readonly EpcisCertificate[],
  observations: readonly EpcisObservation[],
  createdAt: string,
  namespace: string,
) {
  type Event = Record<string, unknown> & { eventTime: string };
  const events: Event[] = [];
  const base = {
    eventTimeZoneOffset: '+08:00',
  };
  for (const c of certificates) {
    const extension = {
      'hgz:certificateCode': c.code,
      'hgz:productName': c.productName,
      'hgz:issuer': c.issuerName,
    };
    if (c.sourceUris.length > 0) {
      events.push({
        type: 'TransformationEvent',
        eventTime: c.issuedAt,
        ...base,
        inputEPCList: c.sourceUris,
        outputEPCList: c.labelUris,
        bizStep: 'repackaging',
        disposition: 'active',
        bizLocation: { id: `urn:hgz:division:${c.divisionCode}` },
        ...extension,
      });
    } else {
      events.push({
        type: 'ObjectEvent',
        eventTime: c.issuedAt,
        ...base,
        epcList: c.labelUris,
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        bizLocation: { id: `urn:hgz:division:${c.divisionCode}` },
        ...extension,
      });
    }
    if (c.status === 'revoked' && c.revokedAt) {
      events.push({
        type: 'ObjectEvent',
        eventTime: c.revokedAt,
        ...base,
        epcList: c.labelUris,
        action: 'DELETE',
        bizStep: 'decommissioning',
        disposition: 'inactive',
        'hgz:certificateCode': c.code,
      });
    }
  }
  for (const o of observations) {
    events.push({
      type: 'ObjectEvent',
      eventTime: o.at,
      ...base,
      epcList: [o.labelUri],
      action: 'OBSERVE',
      bizStep: o.channel === 'market' ? 'receiving' : 'inspecting',
      'hgz:checkedBy': o.channel,
    });
  }
  events.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { hgz: namespace }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: createdAt,
    epcisBody: { eventList: events },
  };
}
