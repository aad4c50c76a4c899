import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import {
  formatCertificateCode,
  type Certificate,
  type certificateDisplay,
} from '../domain/certificate';
import { formatQuantity } from '../domain/quantity';
import { bases, templateFor } from '../domain/template';

/** What both the issuer's copy and the public view of a certificate carry. */
export type CertificateFields = Pick<
  Certificate,
  | 'code'
  | 'templateVersion'
  | 'productName'
  | 'quantity'
  | 'origin'
  | 'issueDate'
  | 'basis'
  | 'issueUnit'
  | 'vehiclePlate'
  | 'batchNo'
  | 'status'
  | 'revokedReason'
  | 'issuer'
> & { display: ReturnType<typeof certificateDisplay> };

function Row({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <View className="cert-row">
      <Text className="cert-row__label">{label}</Text>
      <Text id={id} className="cert-row__value">
        {children}
      </Text>
    </View>
  );
}

/**
 * A certificate laid out like the paper form, worded by the template it was issued under:
 * title, contents, the promise, its basis (all the template's options, the chosen ones ticked)
 * and the pledging party. `children` (the QR code) goes at the bottom.
 */
export function CertificateCard({
  cert,
  children,
}: {
  cert: CertificateFields;
  children?: ReactNode;
}) {
  const template = templateFor(cert.templateVersion);
  const unitDetail =
    cert.issueUnit === 'vehicle' && cert.vehiclePlate
      ? `，车牌 ${cert.vehiclePlate}`
      : cert.issueUnit === 'batch' && cert.batchNo
        ? `，批次 ${cert.batchNo}`
        : '';
  return (
    <View className={`cert cert--${cert.status}`}>
      <Text id="cert-title" className="cert__title">
        {cert.display.title}
      </Text>
      {cert.status === 'revoked' ? (
        <Text id="cert-status" className="cert__revoked">
          此合格证{cert.display.statusLabel}
          {cert.revokedReason ? `：${cert.revokedReason}` : ''}
        </Text>
      ) : null}
      <Row id="cert-product" label="产品名称">
        {cert.productName}
      </Row>
      <Row id="cert-quantity" label="数量（重量）">
        {formatQuantity(cert.quantity)}
      </Row>
      <Row id="cert-origin" label="产地">
        {cert.origin}
      </Row>
      <Row id="cert-date" label="开具日期">
        {cert.issueDate}
      </Row>
      <Row id="cert-issue-unit" label="开具方式">
        {cert.display.issueUnitLabel}
        {unitDetail}
      </Row>
      <Row id="cert-issuer" label="开具主体">
        {cert.issuer.name}
        <Text className="cert-row__sub">{cert.issuer.typeLabel}</Text>
      </Row>
      <Row id="cert-contact" label="联系人">
        {cert.issuer.contactName}
      </Row>
      <Row id="cert-phone" label="联系电话">
        {cert.issuer.phone}
      </Row>
      <Row id="cert-address" label="地址">
        {cert.issuer.address}
      </Row>
      <View className="cert__section">
        <Text className="cert__section-title">承诺声明</Text>
        <Text id="cert-promise" className="cert__promise">
          {cert.display.promise}
        </Text>
      </View>
      <View id="cert-basis" className="cert__section">
        <Text className="cert__section-title">承诺依据</Text>
        {template.bases.map((b) => (
          <Text
            key={b}
            className={`cert__basis${cert.basis.includes(b) ? ' cert__basis--on' : ''}`}
          >
            {cert.basis.includes(b) ? '☑' : '☐'} {bases[b]}
          </Text>
        ))}
      </View>
      <Row id="cert-signer" label="承诺人">
        {cert.issuer.name}
      </Row>
      <Row id="cert-code" label="合格证编号">
        {formatCertificateCode(cert.code)}
      </Row>
      {children}
    </View>
  );
}
