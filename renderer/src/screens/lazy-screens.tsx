import { Center, Loader } from '@mantine/core';
import { lazy } from 'react';

/**
 * Screens loaded when first opened, each with what only it needs (the reports' and the doctor's
 * charts, billing, backups...), so the login page and the reception desk start without them.
 * Reception and the screens around every screen (login, lock, the shell) stay in the entry.
 */
export const DoctorScreen = lazy(() => import('../doctor/DoctorScreen').then((m) => ({ default: m.DoctorScreen })));
export const BillingScreen = lazy(() => import('../billing/BillingScreen').then((m) => ({ default: m.BillingScreen })));
export const FacilityScreen = lazy(() => import('../facility/FacilityScreen').then((m) => ({ default: m.FacilityScreen })));
export const StaffScreen = lazy(() => import('./StaffScreen').then((m) => ({ default: m.StaffScreen })));
export const DoctorsScreen = lazy(() => import('./DoctorsScreen').then((m) => ({ default: m.DoctorsScreen })));
export const AuditScreen = lazy(() => import('./AuditScreen').then((m) => ({ default: m.AuditScreen })));
export const SyncScreen = lazy(() => import('../sync/SyncScreen').then((m) => ({ default: m.SyncScreen })));
export const BackupsScreen = lazy(() => import('../backups/BackupsScreen').then((m) => ({ default: m.BackupsScreen })));
export const LabScreen = lazy(() => import('../lab/LabScreen').then((m) => ({ default: m.LabScreen })));
export const ReportsScreen = lazy(() => import('../reports/ReportsScreen').then((m) => ({ default: m.ReportsScreen })));
export const PharmacyScreen = lazy(() => import('../pharmacy/PharmacyScreen').then((m) => ({ default: m.PharmacyScreen })));
export const StockScreen = lazy(() => import('../stock/StockScreen').then((m) => ({ default: m.StockScreen })));
/** Shown once per clinic, before anyone can log in. */
export const SetupWizard = lazy(() => import('./SetupWizard').then((m) => ({ default: m.SetupWizard })));

/** What a screen shows while its code arrives (a few milliseconds from the local host or disk). */
export function ScreenLoader() {
  return (
    <Center h="60vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}
