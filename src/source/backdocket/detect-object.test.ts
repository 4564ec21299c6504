import { describe, expect, it } from 'vitest';
import { detectObject } from './detect-object.ts';

// The proposed export set (shared/reference/backdocket-exports.md §5), header rows as written there.
const EXPORT_SET: [string, string, string | null][] = [
  [
    'staff.csv',
    'Staff ID,First Name,Last Name,Display Name,Email,Role,Additional Roles,Title,Bar Number,Office,Phone,Ext,Active,Deactivated Date,Created Date,Last Login',
    'staff',
  ],
  [
    'contacts.csv',
    'Contact ID,Contact Type,Prefix,First Name,Middle Name,Last Name,Suffix,Nickname,Company ID,Company Name,Job Title,Email,Email 2,Mobile Phone,Home Phone,Work Phone,Fax,Address 1,Address 2,City,State,Zip,County,Country,Date of Birth,SSN Last 4,Gender,Preferred Language,Preferred Contact Method,Do Not Contact,Categories,Referral Source,Notes,Created By,Created Date,Modified Date,Active',
    'contact',
  ],
  [
    'companies.csv',
    'Company ID,Company Name,Company Category,Parent Company,Tax ID,NPI,Main Phone,Fax,Records Fax,Billing Phone,Email,Website,Address 1,Address 2,City,State,Zip,Country,Notes,Active,Created Date,Modified Date',
    'company',
  ],
  [
    'claim_types.csv',
    'Claim Type ID,Claim Type,Template Source,Practice Area,Default SOL (years),Intake Form,Expected Events,Active',
    'claim_type',
  ],
  [
    'claim_type_fields.csv',
    'Claim Type ID,Field ID,Section,Field Label,Field Type,Options,Required,Sort Order,Active',
    null,
  ],
  [
    'claims.csv',
    'Claim ID,Claim Number,Matter ID,Claim Name,Claim Type,Status,Status Date,Sub Status,Client Contact ID,Client Name,Lead Attorney,Case Manager,Paralegal,Intake Specialist,Office,Referral Source,Referred By,Referred To Firm,Marketing Source,Intake Date,Date Opened,Contract Signed Date,Date of Incident,Statute of Limitations,SOL Type,Incident State,Incident County,Incident Location,Incident Description,Venue,Court,Cause Number,Defendant(s),Opposing Counsel,Total Medical Bills,Demand Amount,Demand Date,Last Offer,Last Offer Date,Settlement Amount,Settlement Date,Attorney Fee %,Attorney Fee,Case Costs,Liens Total,Net to Client,Closed Date,Closed Reason,Rejected Reason,Active,Deactivated Date,Created By,Created Date,Modified By,Modified Date,Auto: Vehicle Year,WC: Date of Injury',
    'claim',
  ],
  [
    'claim_contacts.csv',
    'Claim ID,Contact ID,Company ID,Role,Is Primary,Represented By,Policy Number,Claim Number (Carrier),Notes,Added Date',
    'claim_contact',
  ],
  [
    'claim_staff.csv',
    'Claim ID,Staff ID,Staff Name,Role on Claim,Is Lead,Assigned Date,Unassigned Date',
    'claim_staff',
  ],
  [
    'claim_status_history.csv',
    'Claim ID,Claim Number,From Status,To Status,Changed On,Changed By,Comment',
    'status_history',
  ],
  [
    'intake_submissions.csv',
    'Intake ID,Intake Form,Claim Type,Submitted On,Intake Specialist,Lead Source,Caller Name,Caller Phone,Caller Email,Injured Party,Relationship to Injured,Date of Incident,Incident Summary,Injuries,Treated At,Other Attorney Involved,Outcome,Outcome Reason,Claim ID,Follow-up Date,Q: Were police called?',
    'intake',
  ],
  [
    'calendar_events.csv',
    'Event ID,Claim ID,Event Type,Title,Start Date,Start Time,End Date,End Time,All Day,Time Zone,Location,Staff Attendees,Contact Attendees,Description,Reminder,Expected Event,Completed,Completed On,Created By,Created Date',
    'event',
  ],
  [
    'tasks.csv',
    'Task ID,Claim ID,Subject,Description,Category,Priority,Assigned To,Assigned By,Due Date,Status,Completed Date,Completed By,Created Date,Recurrence,Source (Expected Event / Manual / Workflow)',
    'task',
  ],
  [
    'notes.csv',
    'Note ID,Claim ID,Contact ID,Note Type,Subject,Note,Created By,Created Date,Modified Date,Pinned,Confidential',
    'note',
  ],
  [
    'documents.csv',
    'Document ID,Claim ID,Contact ID,Folder,Category,File Name,Description,File Size (bytes),MIME Type,Pages,Uploaded By,Uploaded Date,Source,Generated From Template,Storage Path,SHA-256',
    'document',
  ],
  [
    'billing_entries.csv',
    'Entry ID,Claim ID,Entry Date,Entry Type,Category,Description,Payee / Payor,Staff,Hours,Rate,Amount,Billable,Reimbursable,Trust/Operating,Invoice No.,Check No.,Status,Created By,Created Date',
    'billing_entry',
  ],
  [
    'check_approvals.csv',
    'Approval ID,Check Request ID,Claim ID,Payee,Payee Type,Amount,Purpose,Bank Account,Requested By,Requested On,Approver,Approval Status,Approved On,Rejected Reason,Check No.,Printed On,Cleared On,Void,Comments',
    'check_approval',
  ],
  [
    'document_templates.csv',
    'Template ID,Template Name,Category,Claim Type,Merge Fields,Created By,Created Date,Active',
    'document_template',
  ],
  [
    'settlements.csv',
    'Settlement ID,Claim ID,Settlement Date,Carrier,Gross Amount,Fee %,Attorney Fee,Costs,Liens,Net to Client,Statement Signed On',
    null,
  ],
];

describe('detectObject on the proposed export set', () => {
  it.each(EXPORT_SET)('%s → %s', (file, header, expected) => {
    const detection = detectObject(file, header.split(','));
    expect(detection.object).toBe(expected);
    if (expected) expect(detection.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each(EXPORT_SET.filter(([, , o]) => o !== null))(
    '%s is recognised from its columns alone (file named export.csv)',
    (_file, header, expected) => {
      expect(detectObject('export.csv', header.split(',')).object).toBe(expected);
    },
  );
});

describe('detectObject on link tables named by another vendor', () => {
  it('reads a file keyed by claim and contact, named as roles, as claim contacts', () => {
    // A CRM export calls claims "matters" and heads the claim key 'Matter ID'.
    const detection = detectObject(
      'Matter Contact Roles.csv',
      'Matter ID,Contact ID,Company ID,Contact Role,Primary,Represented By,Policy Number,Notes,Added Date'.split(
        ',',
      ),
    );
    expect(detection.object).toBe('claim_contact');
    expect(detection.reason).toContain('Matter ID + Contact ID');
    expect(detection.reason).toContain("'roles' in the file name");
  });

  it.each([
    ['Case Participants.csv', 'Case ID,Contact ID,Participant Type,Notes', 'claim_contact'],
    ['Matter Links.csv', 'Matter ID,Contact ID,Relationship', 'claim_contact'],
    ['Matter Staff Assignments.csv', 'Matter ID,Staff ID,Staff Name,Role,Assigned Date', 'claim_staff'],
  ])('%s (two keys + a joining word in the name) → %s', (file, header, expected) => {
    expect(detectObject(file, header.split(',')).object).toBe(expected);
  });

  it.each([
    ['Client Roles.csv', 'Contact ID,First Name,Last Name,Email,Role', 'contact'],
    ['Contact Relationships.csv', 'Contact ID,First Name,Last Name,Relationship,Email,Phone', 'contact'],
    [
      'Matters.csv',
      'Matter ID,Matter Number,Matter Name,Primary Contact ID,Status,Incident Date,Lead Attorney',
      'claim',
    ],
  ])('%s (one key, or the object itself) stays %s', (file, header, expected) => {
    expect(detectObject(file, header.split(',')).object).toBe(expected);
  });
});
