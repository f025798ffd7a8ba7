-- Starter master data written by the app: registry value sets and all states and union territories
-- with their LGD codes. reference.importValueSets / reference.importLgd replace and extend them.
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership', 'G', 'Government', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership', 'P', 'Private', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership', 'PP', 'Public-private partnership', NULL, 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership_subtype', 'C', 'Central Government', 'G', 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership_subtype', 'S', 'State Government', 'G', 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership_subtype', 'P', 'Private: for profit', 'P', 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('ownership_subtype', 'NP', 'Private: not for profit', 'P', 3, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'M', 'Modern Medicine (Allopathy)', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'A', 'Ayurveda', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'U', 'Unani', NULL, 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'S', 'Siddha', NULL, 3, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'H', 'Homoeopathy', NULL, 4, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'Y', 'Yoga & Naturopathy', NULL, 5, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'SR', 'Sowa-Rigpa', NULL, 6, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('system_of_medicine', 'D', 'Dentistry', NULL, 7, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_type', 'CLINIC', 'Clinic / Dispensary', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_type', 'HOSP', 'Hospital', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_type', 'LAB', 'Diagnostic laboratory', NULL, 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_type', 'IMG', 'Imaging centre', NULL, 3, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_type', 'PHARM', 'Pharmacy', NULL, 4, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_type', 'HWC', 'Health & Wellness Centre', NULL, 5, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'GP', 'General practice clinic', 'CLINIC', 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'POLY', 'Polyclinic', 'CLINIC', 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'SPEC', 'Single-speciality clinic', 'CLINIC', 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'DENTAL', 'Dental clinic', 'CLINIC', 3, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'GEN', 'General hospital', 'HOSP', 4, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'MULTI', 'Multi-speciality hospital', 'HOSP', 5, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'NURSING', 'Nursing home', 'HOSP', 6, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'PATH', 'Pathology laboratory', 'LAB', 7, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'XRAY', 'X-ray / ultrasound centre', 'IMG', 8, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('facility_subtype', 'RETAIL', 'Retail pharmacy', 'PHARM', 9, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('operational_status', 'F', 'Functional', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('operational_status', 'NF', 'Non-functional', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('operational_status', 'UC', 'Under construction', NULL, 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('type_of_service', 'OPD', 'Out-patient (OPD)', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('type_of_service', 'IPD', 'In-patient (IPD)', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('region', 'U', 'Urban', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('region', 'R', 'Rural', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'GM', 'General Medicine', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'FM', 'Family Medicine', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'GS', 'General Surgery', NULL, 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'PED', 'Paediatrics', NULL, 3, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'OBG', 'Obstetrics & Gynaecology', NULL, 4, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'ORTH', 'Orthopaedics', NULL, 5, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'DERM', 'Dermatology', NULL, 6, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'ENT', 'Otorhinolaryngology (ENT)', NULL, 7, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'OPHTH', 'Ophthalmology', NULL, 8, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'PSY', 'Psychiatry', NULL, 9, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'CARD', 'Cardiology', NULL, 10, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'ENDO', 'Endocrinology & Diabetology', NULL, 11, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'PULM', 'Pulmonology', NULL, 12, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'NEPH', 'Nephrology', NULL, 13, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'NEURO', 'Neurology', NULL, 14, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'GASTRO', 'Gastroenterology', NULL, 15, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'URO', 'Urology', NULL, 16, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'DENT', 'Dentistry', NULL, 17, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'PHYSIO', 'Physiotherapy', NULL, 18, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'RADIO', 'Radiology', NULL, 19, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('speciality', 'PATH', 'Pathology', NULL, 20, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'NMC', 'National Medical Commission (Indian Medical Register)', NULL, 0, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'APMC', 'Andhra Pradesh Medical Council', NULL, 1, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'ARPMC', 'Arunachal Pradesh Medical Council', NULL, 2, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'AMC', 'Assam Medical Council', NULL, 3, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'BMC', 'Bihar Medical Council', NULL, 4, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'CGMC', 'Chhattisgarh Medical Council', NULL, 5, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'DMC', 'Delhi Medical Council', NULL, 6, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'GOAMC', 'Goa Medical Council', NULL, 7, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'GMC', 'Gujarat Medical Council', NULL, 8, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'HMC', 'Haryana Medical Council', NULL, 9, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'HPMC', 'Himachal Pradesh Medical Council', NULL, 10, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'JKMC', 'Jammu & Kashmir Medical Council', NULL, 11, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'JHMC', 'Jharkhand Medical Council', NULL, 12, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'KMC', 'Karnataka Medical Council', NULL, 13, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'TCMC', 'Travancore-Cochin Medical Council (Kerala)', NULL, 14, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'MPMC', 'Madhya Pradesh Medical Council', NULL, 15, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'MMC', 'Maharashtra Medical Council', NULL, 16, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'MNMC', 'Manipur Medical Council', NULL, 17, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'MGMC', 'Meghalaya Medical Council', NULL, 18, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'MZMC', 'Mizoram Medical Council', NULL, 19, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'NGMC', 'Nagaland Medical Council', NULL, 20, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'OCMR', 'Odisha Council of Medical Registration', NULL, 21, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'PMC', 'Punjab Medical Council', NULL, 22, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'RMC', 'Rajasthan Medical Council', NULL, 23, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'SKMC', 'Sikkim Medical Council', NULL, 24, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'TNMC', 'Tamil Nadu Medical Council', NULL, 25, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'TSMC', 'Telangana State Medical Council', NULL, 26, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'TRMC', 'Tripura State Medical Council', NULL, 27, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'UPMC', 'Uttar Pradesh Medical Council', NULL, 28, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'UKMC', 'Uttarakhand Medical Council', NULL, 29, 1);
--> statement-breakpoint
INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES ('registration_council', 'WBMC', 'West Bengal Medical Council', NULL, 30, 1);
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (1, 'Jammu and Kashmir');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (2, 'Himachal Pradesh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (3, 'Punjab');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (4, 'Chandigarh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (5, 'Uttarakhand');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (6, 'Haryana');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (7, 'Delhi');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (8, 'Rajasthan');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (9, 'Uttar Pradesh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (10, 'Bihar');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (11, 'Sikkim');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (12, 'Arunachal Pradesh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (13, 'Nagaland');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (14, 'Manipur');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (15, 'Mizoram');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (16, 'Tripura');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (17, 'Meghalaya');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (18, 'Assam');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (19, 'West Bengal');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (20, 'Jharkhand');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (21, 'Odisha');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (22, 'Chhattisgarh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (23, 'Madhya Pradesh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (24, 'Gujarat');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (27, 'Maharashtra');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (28, 'Andhra Pradesh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (29, 'Karnataka');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (30, 'Goa');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (31, 'Lakshadweep');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (32, 'Kerala');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (33, 'Tamil Nadu');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (34, 'Puducherry');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (35, 'Andaman and Nicobar Islands');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (36, 'Telangana');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (37, 'Ladakh');
--> statement-breakpoint
INSERT INTO lgd_states (code, name) VALUES (38, 'The Dadra and Nagar Haveli and Daman and Diu');
