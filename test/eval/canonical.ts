import type { BackdocketObject } from '../../src/core/objects.ts';

/**
 * Ground truth of the evaluation set: the canonical BackDocket columns (backdocket-exports.md §5), what
 * each should map to, and how its values are generated. Styles (styles.ts) rename headers and files;
 * the expected target travels with the column. `custom` means "a custom field named after the header".
 */

export type Gen =
  | 'id'
  | `ref:${BackdocketObject}`
  | 'email'
  | 'phone'
  | 'date'
  | 'datetime'
  | 'time'
  | 'money'
  | 'percent'
  | 'bool'
  | 'first'
  | 'last'
  | 'fullname'
  | 'staffname'
  | 'company'
  | 'text'
  | 'long'
  | 'city'
  | 'state'
  | 'zip'
  | 'street'
  | 'url'
  | 'int'
  | 'hours'
  | 'code'
  | 'path'
  | 'sha'
  | `enum:${string}`
  | `list:${string}`
  /** A reference written as the parent's natural value (a contact's full name, a company's name). */
  | `refname:${BackdocketObject}`
  /** The natural value of the parent referenced by another column of the same row. */
  | `nameof:${string}`
  /** The SHA-256 of the document stored at the path in another column of the same row. */
  | `shaof:${string}`
  /** Values unique per row. */
  | 'claimnumber'
  | 'companyname'
  | 'filename'
  /** The row's own person (first, last, full name), consistent across its columns. */
  | 'ownfirst'
  | 'ownlast'
  | 'ownfull'
  | 'ownemail';

export interface CanonicalColumn {
  readonly header: string;
  /** Expected target; `custom` = `<entity>.custom:<header>`. */
  readonly target: string | null | 'custom';
  readonly gen: Gen;
  /** Share of rows with a value (default 0.9). */
  readonly fill?: number;
}

export interface CanonicalFile {
  readonly object: BackdocketObject;
  readonly file: string;
  readonly columns: readonly CanonicalColumn[];
}

const c = (header: string, target: string | null | 'custom', gen: Gen, fill?: number): CanonicalColumn =>
  fill === undefined ? { header, target, gen } : { header, target, gen, fill };

export const CANONICAL: readonly CanonicalFile[] = [
  {
    object: 'staff',
    file: 'staff.csv',
    columns: [
      c('Staff ID', 'user.ref:staff', 'id', 1),
      c('First Name', null, 'ownfirst', 1),
      c('Last Name', null, 'ownlast', 1),
      c('Display Name', 'user.name', 'ownfull', 1),
      c('Email', 'user.email', 'ownemail', 0.95),
      c('Role', null, 'enum:Attorney|Paralegal|Case Manager|Intake Specialist'),
      c('Title', null, 'enum:Partner|Associate|Senior Case Manager|Paralegal'),
      c('Bar Number', null, 'code', 0.4),
      c('Office', null, 'enum:Main|Galveston|Austin'),
      c('Phone', null, 'phone'),
      c('Active', 'user.active_flag', 'bool', 1),
      c('Created Date', null, 'date'),
      c('Last Login', null, 'datetime', 0.7),
    ],
  },
  {
    object: 'contact',
    file: 'contacts.csv',
    columns: [
      c('Contact ID', 'person.ref:contact', 'id', 1),
      c('Contact Type', 'custom', 'enum:Person|Client|Witness'),
      c('Prefix', 'person.custom:Prefix', 'enum:Mr.|Ms.|Mrs.|Dr.', 0.5),
      c('First Name', 'person.first_name', 'ownfirst', 1),
      c('Middle Name', 'person.custom:Middle Name', 'first', 0.4),
      c('Last Name', 'person.last_name', 'ownlast', 1),
      c('Suffix', 'person.custom:Suffix', 'enum:Jr.|Sr.|III', 0.2),
      c('Company ID', 'person.org_id', 'ref:company', 0.5),
      c('Company Name', null, 'nameof:Company ID', 0.5),
      c('Job Title', 'person.job_title', 'enum:Driver|Nurse|Teacher|Engineer|Manager|Clerk', 0.6),
      c('Email', 'person.emails', 'ownemail', 0.8),
      c('Email 2', 'person.emails', 'email', 0.3),
      c('Mobile Phone', 'person.phones', 'phone', 0.8),
      c('Home Phone', 'person.phones', 'phone', 0.5),
      c('Work Phone', 'person.phones', 'phone', 0.4),
      c('Fax', 'person.custom:Fax', 'phone', 0.2),
      c('Address 1', 'person.custom:Address', 'street', 0.8),
      c('Address 2', 'person.custom:Address', 'enum:Apt 2|Suite 100|Unit B', 0.3),
      c('City', 'person.custom:Address', 'city', 0.8),
      c('State', 'person.custom:Address', 'state', 0.8),
      c('Zip', 'person.custom:Address', 'zip', 0.8),
      c('County', 'person.custom:County', 'enum:Harris|Travis|Galveston|Fort Bend', 0.6),
      c('Country', 'person.custom:Address', 'enum:USA|United States', 0.7),
      c('Date of Birth', 'person.custom:Date of Birth', 'date', 0.7),
      c('SSN Last 4', null, 'int', 0.5),
      c('Gender', 'person.custom:Gender', 'enum:Female|Male', 0.7),
      c('Preferred Language', 'person.custom:Preferred Language', 'enum:English|Spanish|Vietnamese', 0.7),
      c('Preferred Contact Method', 'person.custom:Preferred Contact Method', 'enum:Phone|Email|Text', 0.6),
      c('Do Not Contact', 'person.custom:Do Not Contact', 'bool', 0.6),
      c('Categories', 'person.custom:Categories', 'list:Client|Witness|Injured Party|Guardian', 0.8),
      c('Referral Source', 'person.custom:Referral Source', 'enum:Google|TV|Friend|Billboard', 0.5),
      c('Notes', 'person.custom:Notes', 'long', 0.4),
      c('Created By', 'person.owner_id', 'staffname', 0.9),
      c('Created Date', 'person.add_time', 'datetime', 1),
      c('Modified Date', null, 'datetime', 0.9),
      c('Active', 'person.custom:Active', 'bool', 1),
    ],
  },
  {
    object: 'company',
    file: 'companies.csv',
    columns: [
      c('Company ID', 'organization.ref:company', 'id', 1),
      c('Company Name', 'organization.name', 'companyname', 1),
      c(
        'Company Category',
        'organization.custom:Company Category',
        'enum:Insurance Carrier|Medical Provider|Hospital|Law Firm|Court',
      ),
      c('Parent Company', 'organization.custom:Parent Company', 'company', 0.2),
      c('Tax ID', 'organization.custom:Tax ID', 'code', 0.4),
      c('NPI', 'organization.custom:NPI', 'int', 0.3),
      c('Main Phone', 'organization.custom:Phone', 'phone', 0.8),
      c('Fax', 'organization.custom:Fax', 'phone', 0.5),
      c('Records Fax', 'custom', 'phone', 0.3),
      c('Billing Phone', 'custom', 'phone', 0.3),
      c('Email', 'organization.custom:Email', 'email', 0.5),
      c('Website', 'organization.website', 'url', 0.5),
      c('Address 1', 'organization.address', 'street', 0.8),
      c('Address 2', 'organization.address', 'enum:Suite 200|Floor 3|Bldg A', 0.3),
      c('City', 'organization.address', 'city', 0.8),
      c('State', 'organization.address', 'state', 0.8),
      c('Zip', 'organization.address', 'zip', 0.8),
      c('Country', 'organization.address', 'enum:USA', 0.6),
      c('Notes', 'organization.custom:Notes', 'long', 0.3),
      c('Active', 'organization.custom:Active', 'bool', 1),
      c('Created Date', 'organization.add_time', 'date', 1),
      c('Modified Date', null, 'datetime', 0.8),
    ],
  },
  {
    object: 'claim_type',
    file: 'claim_types.csv',
    columns: [
      c('Claim Type ID', 'deal.ref:claim_type', 'id', 1),
      c('Claim Type', 'deal.pipeline_id', 'enum:Auto|Med Mal|Mass Tort|Workers Comp|Premises', 1),
      c('Template Source', null, 'enum:Template|Custom'),
      c('Practice Area', 'deal.custom:Practice Area', 'enum:Personal Injury|Workers Comp|Mass Tort'),
      c('Default SOL (years)', null, 'enum:2|3|4'),
      c('Intake Form', null, 'enum:Auto Intake|General Intake'),
      c('Expected Events', null, 'list:Retainer Signed|Demand Sent|Suit Filed|SOL'),
      c('Active', null, 'bool', 1),
    ],
  },
  {
    object: 'claim',
    file: 'claims.csv',
    columns: [
      c('Claim ID', 'deal.ref:claim', 'id', 1),
      c('Claim Number', 'deal.custom:Claim Number', 'claimnumber', 1),
      c('Matter ID', 'deal.custom:Matter ID', 'code', 0.3),
      c('Claim Name', 'deal.title', 'text', 1),
      c('Claim Type', 'deal.pipeline_id', 'enum:Auto|Med Mal|Mass Tort|Workers Comp', 1),
      c(
        'Status',
        'deal.status',
        'enum:Active w/Contract|Chase Call|No Decision|Referral Pending|Closed|Rejected|Referred',
        1,
      ),
      c('Status Date', 'deal.custom:Status Date', 'date', 0.9),
      c('Sub Status', 'deal.custom:Sub Status', 'enum:Treating|Demand Prep|Negotiation|Litigation', 0.6),
      c('Client Contact ID', 'deal.person_id', 'ref:contact', 1),
      c('Client Name', null, 'nameof:Client Contact ID', 1),
      c('Lead Attorney', 'deal.owner_id', 'staffname', 0.95),
      c('Case Manager', 'deal.custom:Case Manager', 'staffname', 0.8),
      c('Paralegal', 'deal.custom:Paralegal', 'staffname', 0.6),
      c('Intake Specialist', 'deal.custom:Intake Specialist', 'staffname', 0.6),
      c('Office', 'deal.custom:Office', 'enum:Main|Galveston|Austin'),
      c(
        'Referral Source',
        'deal.custom:Referral Source',
        'enum:Google|TV|Friend|Billboard|Attorney Referral',
        0.7,
      ),
      c('Referred By', 'deal.custom:Referred By', 'fullname', 0.3),
      c('Referred To Firm', 'deal.custom:Referred To Firm', 'company', 0.2),
      c('Marketing Source', 'deal.custom:Marketing Source', 'enum:PPC|TV|Radio|Organic', 0.5),
      c('Intake Date', 'deal.custom:Intake Date', 'date', 0.9),
      c('Date Opened', 'deal.custom:Date Opened', 'date', 0.9),
      c('Contract Signed Date', 'deal.custom:Contract Signed Date', 'date', 0.6),
      c('Date of Incident', 'deal.custom:Date of Incident', 'date', 0.9),
      c('Statute of Limitations', 'deal.custom:Statute of Limitations', 'date', 0.8),
      c('SOL Type', 'deal.custom:SOL Type', 'enum:Negligence|Med Mal|Government', 0.6),
      c('Incident State', 'deal.custom:Incident State', 'state', 0.8),
      c('Incident County', 'deal.custom:Incident County', 'enum:Harris|Travis|Galveston', 0.7),
      c('Incident Location', 'deal.custom:Incident Location', 'street', 0.6),
      c('Incident Description', 'deal.custom:Incident Description', 'long', 0.8),
      c('Venue', 'deal.custom:Venue', 'enum:Harris County|Travis County|S.D. Tex.', 0.4),
      c('Court', 'deal.custom:Court', 'enum:District Court 151|County Court 2|S.D. Tex.', 0.4),
      c('Cause Number', 'deal.custom:Cause Number', 'code', 0.3),
      c('Defendant(s)', 'deal.custom:Defendants', 'company', 0.6),
      c('Opposing Counsel', 'deal.custom:Opposing Counsel', 'fullname', 0.4),
      c('Total Medical Bills', 'deal.custom:Total Medical Bills', 'money', 0.6),
      c('Demand Amount', 'deal.custom:Demand Amount', 'money', 0.5),
      c('Demand Date', 'deal.custom:Demand Date', 'date', 0.5),
      c('Last Offer', 'deal.custom:Last Offer', 'money', 0.4),
      c('Last Offer Date', 'deal.custom:Last Offer Date', 'date', 0.4),
      c('Settlement Amount', 'deal.value', 'money', 0.4),
      c('Settlement Date', 'deal.custom:Settlement Date', 'date', 0.4),
      c('Attorney Fee %', 'deal.custom:Attorney Fee %', 'percent', 0.8),
      c('Attorney Fee', 'deal.custom:Attorney Fee', 'money', 0.4),
      c('Case Costs', 'deal.custom:Case Costs', 'money', 0.5),
      c('Liens Total', 'deal.custom:Liens Total', 'money', 0.4),
      c('Net to Client', 'deal.custom:Net to Client', 'money', 0.4),
      c('Closed Date', 'deal.close_time', 'date', 0.3),
      c('Closed Reason', 'deal.custom:Closed Reason', 'enum:Settled|Verdict|Dropped', 0.3),
      c('Rejected Reason', 'deal.lost_reason', 'enum:No liability|SOL expired|Conflict', 0.2),
      c('Active', 'deal.custom:Active', 'bool', 1),
      c('Deactivated Date', 'deal.custom:Deactivated Date', 'date', 0.1),
      c('Created By', 'deal.custom:Created By', 'staffname', 1),
      c('Created Date', 'deal.custom:Original Create Date', 'datetime', 1),
      c('Modified By', null, 'staffname', 0.9),
      c('Modified Date', null, 'datetime', 0.9),
      c('Auto: Vehicle Year', 'custom', 'enum:2012|2015|2018|2020', 0.4),
      c('Auto: Police Report #', 'custom', 'code', 0.4),
      c('Auto: BI Limits', 'custom', 'enum:$30,000/$60,000|$50,000/$100,000', 0.4),
      c('Mass Tort: Product', 'custom', 'enum:Hair Relaxer|Talc|Roundup', 0.2),
      c('WC: Date of Injury', 'custom', 'date', 0.2),
    ],
  },
  {
    object: 'claim_contact',
    file: 'claim_contacts.csv',
    columns: [
      c('Claim ID', 'deal.ref:claim', 'ref:claim', 1),
      c('Contact ID', 'deal.person_id', 'ref:contact', 1),
      c('Company ID', 'deal.org_id', 'ref:company', 0.4),
      c('Role', 'deal.custom:Contact Roles', 'enum:Client|Defendant|Adjuster|Witness|Medical Provider', 1),
      c('Is Primary', null, 'bool', 1),
      c('Represented By', 'custom', 'fullname', 0.3),
      c('Policy Number', 'custom', 'code', 0.4),
      c('Claim Number (Carrier)', 'custom', 'code', 0.4),
      c('Notes', 'custom', 'text', 0.2),
      c('Added Date', 'custom', 'date', 0.9),
    ],
  },
  {
    object: 'claim_staff',
    file: 'claim_staff.csv',
    columns: [
      c('Claim ID', 'deal.ref:claim', 'ref:claim', 1),
      c('Staff ID', 'deal.owner_id', 'ref:staff', 1),
      c('Staff Name', null, 'nameof:Staff ID', 1),
      c('Role on Claim', 'deal.custom:Staff Roles', 'enum:Attorney|Case Manager|Paralegal|Negotiator', 1),
      c('Is Lead', null, 'bool', 1),
      c('Assigned Date', null, 'date', 1),
      c('Unassigned Date', null, 'date', 0.2),
    ],
  },
  {
    object: 'status_history',
    file: 'claim_status_history.csv',
    columns: [
      c('Claim ID', 'deal.ref:claim', 'ref:claim', 1),
      c('Claim Number', null, 'nameof:Claim ID', 1),
      c('From Status', 'note.content', 'enum:Chase Call|No Decision|Active w/Contract', 0.8),
      c('To Status', 'note.content', 'enum:No Decision|Active w/Contract|Closed|Rejected', 1),
      c('Changed On', 'note.add_time', 'datetime', 1),
      c('Changed By', 'note.user_id', 'staffname', 1),
      c('Comment', 'note.content', 'text', 0.4),
    ],
  },
  {
    object: 'intake',
    file: 'intake_submissions.csv',
    columns: [
      c('Intake ID', 'lead.ref:intake', 'id', 1),
      c('Intake Form', 'lead.custom:Intake Form', 'enum:Auto Intake|General Intake|Mass Tort Intake', 1),
      c('Claim Type', 'lead.custom:Matter Type', 'enum:Auto|Med Mal|Mass Tort|Workers Comp', 1),
      c('Submitted On', 'lead.custom:Submitted On', 'datetime', 1),
      c('Intake Specialist', 'lead.owner_id', 'staffname', 0.9),
      c('Lead Source', 'lead.custom:Lead Source', 'enum:Web Form|Phone|Referral|TV', 0.9),
      c('Caller Name', 'person.name', 'fullname', 1),
      c('Caller Phone', 'person.phones', 'phone', 0.9),
      c('Caller Email', 'person.emails', 'email', 0.6),
      c('Injured Party', 'lead.custom:Injured Party', 'fullname', 0.8),
      c(
        'Relationship to Injured',
        'lead.custom:Relationship to Injured',
        'enum:Self|Spouse|Parent|Child',
        0.8,
      ),
      c('Date of Incident', 'lead.custom:Date of Incident', 'date', 0.9),
      c('Incident Summary', 'lead.custom:Incident Summary', 'long', 0.9),
      c('Injuries', 'lead.custom:Injuries', 'text', 0.7),
      c('Treated At', 'lead.custom:Treated At', 'company', 0.6),
      c('Other Attorney Involved', 'lead.custom:Other Attorney Involved', 'bool', 0.8),
      c('Outcome', 'lead.custom:Intake Outcome', 'enum:Signed|Chase Call|No Decision|Rejected|Referred', 1),
      c(
        'Outcome Reason',
        'lead.custom:Outcome Reason',
        'enum:No liability|Minor injuries|Already represented',
        0.4,
      ),
      c('Claim ID', 'lead.ref:claim', 'ref:claim', 0.4),
      c('Follow-up Date', 'lead.custom:Follow-up Date', 'date', 0.5),
      c('Q: Were police called?', 'custom', 'bool', 0.7),
      c('Q: Ambulance?', 'custom', 'bool', 0.7),
    ],
  },
  {
    object: 'event',
    file: 'calendar_events.csv',
    columns: [
      c('Event ID', 'activity.ref:event', 'id', 1),
      c('Claim ID', 'activity.deal_id', 'ref:claim', 0.9),
      c(
        'Event Type',
        'activity.type',
        'enum:Court Hearing|Deposition|Mediation|Client Meeting|Deadline|SOL',
        1,
      ),
      c('Title', 'activity.subject', 'text', 1),
      c('Start Date', 'activity.due_date', 'date', 1),
      c('Start Time', 'activity.due_time', 'time', 0.8),
      c('End Date', 'activity.duration', 'date', 0.8),
      c('End Time', 'activity.duration', 'time', 0.8),
      c('All Day', null, 'bool', 1),
      c('Time Zone', null, 'enum:America/Chicago|America/New_York', 0.5),
      c('Location', 'activity.location', 'street', 0.7),
      c('Staff Attendees', 'activity.owner_id', 'staffname', 0.9),
      c('Contact Attendees', 'activity.participants', 'refname:contact', 0.6),
      c('Description', 'activity.note', 'long', 0.6),
      c('Reminder', null, 'enum:15 min|1 day|1 week', 0.5),
      c('Expected Event', null, 'bool', 0.8),
      c('Completed', 'activity.done', 'bool', 1),
      c('Completed On', null, 'date', 0.4),
      c('Created By', null, 'staffname', 1),
      c('Created Date', null, 'datetime', 1),
    ],
  },
  {
    object: 'task',
    file: 'tasks.csv',
    columns: [
      c('Task ID', 'activity.ref:task', 'id', 1),
      c('Claim ID', 'activity.deal_id', 'ref:claim', 0.9),
      c('Subject', 'activity.subject', 'text', 1),
      c('Description', 'activity.note', 'long', 0.6),
      c('Category', null, 'enum:Records|Client Contact|Filing|Billing'),
      c('Priority', 'activity.priority', 'enum:High|Normal|Low'),
      c('Assigned To', 'activity.owner_id', 'staffname', 1),
      c('Assigned By', null, 'staffname', 0.8),
      c('Due Date', 'activity.due_date', 'date', 1),
      c('Status', 'activity.done', 'enum:Open|Completed|In Progress', 1),
      c('Completed Date', null, 'date', 0.4),
      c('Completed By', null, 'staffname', 0.4),
      c('Created Date', null, 'datetime', 1),
      c('Recurrence', null, 'enum:None|Weekly|Monthly', 0.3),
      c('Source', null, 'enum:Expected Event|Manual|Workflow', 0.9),
    ],
  },
  {
    object: 'note',
    file: 'notes.csv',
    columns: [
      c('Note ID', 'note.ref:note', 'id', 1),
      c('Claim ID', 'note.deal_id', 'ref:claim', 0.8),
      c('Contact ID', 'note.person_id', 'ref:contact', 0.4),
      c(
        'Note Type',
        'activity.type',
        'enum:Phone Call In|Phone Call Out|Email|Internal|Client Update|Adjuster Call',
        1,
      ),
      c('Subject', 'note.content', 'text', 0.7),
      c('Note', 'note.content', 'long', 1),
      c('Created By', 'note.user_id', 'staffname', 1),
      c('Created Date', 'note.add_time', 'datetime', 1),
      c('Modified Date', null, 'datetime', 0.5),
      c('Pinned', 'note.pinned_to_deal_flag', 'bool', 1),
      c('Confidential', null, 'bool', 1),
    ],
  },
  {
    object: 'document',
    file: 'documents.csv',
    columns: [
      c('Document ID', 'file.ref:document', 'id', 1),
      c('Claim ID', 'file.deal_id', 'ref:claim', 0.9),
      c('Contact ID', 'file.person_id', 'ref:contact', 0.3),
      c('Folder', null, 'enum:Medical Records|Correspondence|Pleadings|Photos'),
      c('Category', null, 'enum:Records|Bills|Letters|Images'),
      c('File Name', 'file.name', 'filename', 1),
      c('Description', 'file.description', 'text', 0.5),
      c('File Size (bytes)', null, 'int', 1),
      c('MIME Type', null, 'enum:application/pdf|image/jpeg|application/msword', 1),
      c('Pages', null, 'int', 0.7),
      c('Uploaded By', null, 'staffname', 1),
      c('Uploaded Date', null, 'datetime', 1),
      c('Source', null, 'enum:Upload|Scan|Email|Generated', 1),
      c('Generated From Template', null, 'enum:Demand Letter|Retainer|Records Request', 0.2),
      c('Storage Path', 'file.file', 'path', 1),
      c('SHA-256', null, 'shaof:Storage Path', 1),
    ],
  },
  {
    object: 'billing_entry',
    file: 'billing_entries.csv',
    columns: [
      c('Entry ID', null, 'id', 1),
      c('Claim ID', 'deal.ref:claim', 'ref:claim', 1),
      c('Entry Date', null, 'date', 1),
      c('Entry Type', null, 'enum:Case Cost|Time Entry|Flat Fee|Settlement Receipt|Disbursement', 1),
      c('Category', null, 'enum:Records|Filing Fee|Client Call|Settlement|Attorney Fee', 1),
      c('Description', null, 'text', 1),
      c('Payee / Payor', null, 'company', 0.6),
      c('Staff', null, 'staffname', 0.5),
      c('Hours', 'deal.custom:Hours Billed', 'hours', 0.4),
      c('Rate', null, 'money', 0.4),
      c('Amount', 'deal.custom:Ledger Total', 'money', 1),
      c('Billable', null, 'bool', 1),
      c('Reimbursable', null, 'bool', 1),
      c('Trust/Operating', null, 'enum:Trust|Operating', 0.8),
      c('Invoice No.', 'deal.custom:Invoice Refs', 'code', 0.4),
      c('Check No.', null, 'int', 0.4),
      c('Status', 'deal.custom:Billing Status', 'enum:Paid|Billed|Deposited|Cleared|Open', 1),
      c('Created By', null, 'staffname', 1),
      c('Created Date', null, 'datetime', 1),
    ],
  },
  {
    object: 'check_approval',
    file: 'check_approvals.csv',
    columns: [
      c('Approval ID', null, 'id', 1),
      c('Check Request ID', null, 'code', 1),
      c('Claim ID', null, 'ref:claim', 1),
      c('Payee', null, 'company', 1),
      c('Payee Type', null, 'enum:Client|Medical Provider|Lienholder|Attorney Fee', 1),
      c('Amount', null, 'money', 1),
      c('Purpose', null, 'text', 0.8),
      c('Requested By', null, 'staffname', 1),
      c('Requested On', null, 'date', 1),
      c('Approver', null, 'staffname', 0.8),
      c('Approval Status', null, 'enum:Pending|Approved|Rejected|Printed|Voided', 1),
      c('Approved On', null, 'date', 0.6),
      c('Check No.', null, 'int', 0.5),
    ],
  },
  {
    object: 'document_template',
    file: 'document_templates.csv',
    columns: [
      c('Template ID', null, 'id', 1),
      c('Template Name', null, 'text', 1),
      c('Category', null, 'enum:Letters|Pleadings|Intake', 1),
      c('Merge Fields', null, 'list:ClientName|ClaimNumber|DOI', 1),
      c('Created By', null, 'staffname', 1),
      c('Modified Date', null, 'datetime', 1),
    ],
  },
];
