export { runDeliveryBatch, recoverStale, type DeliveryOptions, type DeliveryReport } from './runner';
export { createSmtpTransport, classifySendError, type MailTransport, type OutgoingMail, type SendResult, type SmtpConfig } from './smtp';
