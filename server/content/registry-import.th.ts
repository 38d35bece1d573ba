// What the registry and statement imports say about a file as a whole, and about rows that disagree with the database.

/** A file that is not a UTF-8 CSV: how to save one from Excel. */
export const CSV_FILE_THAI = {
  spreadsheet:
    'ไฟล์นี้เป็นไฟล์ Excel (.xlsx หรือ .xls) ไม่ใช่ CSV ค่ะ ใน Excel ให้เลือก "บันทึกเป็น" (Save As) แล้วเลือกชนิด "CSV UTF-8 (Comma delimited) (*.csv)" แล้วนำเข้าไฟล์นั้น',
  notUtf8:
    'ไฟล์นี้ไม่ได้บันทึกเป็น UTF-8 (น่าจะเป็น "CSV (Comma delimited)" แบบเดิมของ Windows ภาษาไทย) ถ้านำเข้าไป ชื่อภาษาไทยจะกลายเป็นตัวอักษรอ่านไม่ออก ใน Excel ให้เลือก "บันทึกเป็น" แล้วเลือกชนิด "CSV UTF-8 (Comma delimited) (*.csv)" แล้วนำเข้าอีกครั้ง ยังไม่มีการนำเข้าข้อมูลใด ๆ',
};

/** Rows that are valid alone but disagree with the database or with each other. */
export const REGISTRY_IMPORT_THAI = {
  ownerChanged:
    'สัญญานี้เป็นของผู้กู้อีกคนในข้อมูลเดิม (เลขประจำตัวประชาชนไม่ตรงกัน) กรุณาตรวจเลขที่สัญญาและเลขประจำตัวประชาชน ถ้าสัญญานี้โอนให้ผู้รับสภาพหนี้จริง ให้นำเข้าอีกครั้งพร้อมตัวเลือก --allow-new-borrower',
  samePersonDiffers: (line: number, what: string) =>
    `เลขประจำตัวประชาชนเดียวกับบรรทัด ${line} แต่${what}ไม่ตรงกัน ผู้กู้หนึ่งคนต้องมีชื่อและพื้นที่เดียวกันทุกแถว (full_name, province, district, subdistrict)`,
};
